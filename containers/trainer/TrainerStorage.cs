using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Serverless.Core.Training.Remote;

namespace Serverless.Trainer;

/// <summary>
/// Storage clients from the same settings the Functions app uses: <c>AzureWebJobsStorage</c> as a connection string
/// (local, Azurite), or <c>AzureWebJobsStorage__blobServiceUri</c> / <c>__queueServiceUri</c> + optional
/// <c>__clientId</c> with a managed identity (the container job).
/// </summary>
public static class TrainerStorage
{
    public const string Name = "AzureWebJobsStorage";

    public static BlobServiceClient Blobs(IConfiguration configuration) =>
        ConnectionString(configuration) is { } cs ? new BlobServiceClient(cs) : new BlobServiceClient(ServiceUri(configuration, "blob"), Credential(configuration));

    public static QueueServiceClient Queues(IConfiguration configuration) =>
        ConnectionString(configuration) is { } cs
            ? new QueueServiceClient(cs, GpuQueues.ClientOptions())
            : new QueueServiceClient(ServiceUri(configuration, "queue"), Credential(configuration), GpuQueues.ClientOptions());

    private static string? ConnectionString(IConfiguration configuration) =>
        configuration[Name] is { } cs && !string.IsNullOrWhiteSpace(cs) ? cs : null;

    private static Uri ServiceUri(IConfiguration configuration, string service) =>
        new(configuration[$"{Name}:{service}ServiceUri"] ?? configuration[$"{Name}__{service}ServiceUri"]
            ?? throw new InvalidOperationException($"Storage is not configured: set '{Name}' or '{Name}__{service}ServiceUri'."));

    private static TokenCredential Credential(IConfiguration configuration) =>
        (configuration[$"{Name}:clientId"] ?? configuration[$"{Name}__clientId"]) is { } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
