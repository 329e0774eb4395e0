using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.Durable.Api;
using Serverless.Durable.Intake;
using Serverless.Durable.Pipeline;

namespace Serverless.Durable;

/// <summary>The platform's services, registered the same way by the Functions app and the local host.</summary>
public static class PlatformServiceCollectionExtensions
{
    /// <summary>
    /// Registers storage, registry, scoring and the pipeline activities.
    /// Storage comes from <paramref name="storageConnection"/>: a connection string, or (in Azure) the
    /// <c>AzureWebJobsStorage__blobServiceUri</c> + optional <c>__clientId</c> identity-based form.
    /// </summary>
    public static IServiceCollection AddServerlessPlatform(this IServiceCollection services, IConfiguration configuration, string storageConnection = "AzureWebJobsStorage")
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ScoringOptions>().Bind(configuration.GetSection(ScoringOptions.Section));
        services.TryAddSingleton(_ => CreateBlobServiceClient(configuration, storageConnection));
        services.TryAddSingleton<PlatformStorage>();
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<ModelServer>();
        services.TryAddSingleton<PipelineActivities>();
        return services;
    }

    /// <summary>
    /// Registers what wraps a <see cref="Microsoft.DurableTask.Client.DurableTaskClient"/> from DI. Only for hosts
    /// that register that client (the local host); Functions hands it out per invocation through <c>[DurableClient]</c>.
    /// </summary>
    public static IServiceCollection AddPipelineClient(this IServiceCollection services)
    {
        services.TryAddSingleton<PipelineClient>();
        services.TryAddSingleton<DropIntake>();
        services.TryAddSingleton<PlatformApiServices>();
        return services;
    }

    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration, string name)
    {
        var connectionString = configuration[name] ?? configuration.GetConnectionString(name);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new BlobServiceClient(connectionString);
        }

        var uri = configuration[$"{name}:blobServiceUri"] ?? configuration[$"{name}__blobServiceUri"]
            ?? throw new InvalidOperationException($"Storage is not configured: set '{name}' (connection string) or '{name}__blobServiceUri' (managed identity).");
        var clientId = configuration[$"{name}:clientId"] ?? configuration[$"{name}__clientId"];
        var credential = clientId is null
            ? new DefaultAzureCredential()
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        return new BlobServiceClient(new Uri(uri), credential);
    }
}
