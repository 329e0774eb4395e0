using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Serverless.Core.Storage;

/// <summary>
/// Storage clients from the settings the Functions host itself uses: <c>{name}</c> as a connection string
/// (Azurite locally), or <c>{name}__blobServiceUri</c> / <c>__queueServiceUri</c> / <c>__tableServiceUri</c> with a
/// managed identity (<c>__clientId</c> for a user-assigned one) in Azure. Every host and the trainer job share it.
/// </summary>
public static class StorageClients
{
    public static BlobServiceClient Blobs(IConfiguration configuration, string name) =>
        ConnectionString(configuration, name) is { } cs
            ? new BlobServiceClient(cs)
            : new BlobServiceClient(ServiceUri(configuration, name, "blob"), Credential(configuration, name));

    public static TableServiceClient Tables(IConfiguration configuration, string name) =>
        ConnectionString(configuration, name) is { } cs
            ? new TableServiceClient(cs)
            : new TableServiceClient(ServiceUri(configuration, name, "table"), Credential(configuration, name));

    /// <summary>Base64 messages (<see cref="QueueOptions"/>), as the Functions queue trigger expects.</summary>
    public static QueueServiceClient Queues(IConfiguration configuration, string name) =>
        ConnectionString(configuration, name) is { } cs
            ? new QueueServiceClient(cs, QueueOptions())
            : new QueueServiceClient(ServiceUri(configuration, name, "queue"), Credential(configuration, name), QueueOptions());

    /// <summary>Every platform queue carries base64 JSON, what Functions queue triggers expect.</summary>
    public static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    private static string? ConnectionString(IConfiguration configuration, string name) =>
        (configuration[name] ?? configuration.GetConnectionString(name)) is { } cs && !string.IsNullOrWhiteSpace(cs) ? cs : null;

    private static Uri ServiceUri(IConfiguration configuration, string name, string service) =>
        new(configuration[$"{name}:{service}ServiceUri"] ?? configuration[$"{name}__{service}ServiceUri"]
            ?? throw new InvalidOperationException($"Storage is not configured: set '{name}' (connection string) or '{name}__{service}ServiceUri' (managed identity)."));

    /// <summary>
    /// The identity behind <c>{name}</c>: the user-assigned managed identity named by <c>{name}__clientId</c>, else
    /// <see cref="DefaultAzureCredential"/> (a developer's sign-in). Telemetry export uses the same one.
    /// </summary>
    public static TokenCredential Credential(IConfiguration configuration, string name) =>
        (configuration[$"{name}:clientId"] ?? configuration[$"{name}__clientId"]) is { } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
