using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Remote;
using Serverless.Durable.Api;
using Serverless.Durable.Hosting;
using Serverless.Durable.Intake;
using Serverless.Durable.Monitoring;
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
        services.AddServerlessScoring(configuration, storageConnection);
        services.TryAddSingleton<PredictionLogReader>();
        services.AddOptions<FeedbackOptions>().Bind(configuration.GetSection(FeedbackOptions.Section));
        services.TryAddSingleton<FeedbackService>();
        services.TryAddSingleton<LiveQualityCalculator>();
        services.TryAddSingleton<DriftReportHistory>();
        services.TryAddSingleton<MonitoringCycle>();
        services.TryAddSingleton<FeedbackIntake>();
        services.TryAddSingleton<IncomingScanner>();
        services.TryAddSingleton<RunArtifacts>();
        services.TryAddSingleton<PipelineActivities>();
        return services;
    }

    /// <summary>
    /// Registers what serving alone needs (the GPU scorer): storage, registry, champions with hot swap, dynamic
    /// batching, the prediction log and its writer, and <see cref="ScoringApiServices"/>. Storage as for
    /// <see cref="AddServerlessPlatform"/>.
    /// </summary>
    public static IServiceCollection AddServerlessScoring(this IServiceCollection services, IConfiguration configuration, string storageConnection = "AzureWebJobsStorage")
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ScoringOptions>().Bind(configuration.GetSection(ScoringOptions.Section));
        services.AddOptions<PredictionLogOptions>().Bind(configuration.GetSection(PredictionLogOptions.Section));
        services.TryAddSingleton(_ => StorageClients.Blobs(configuration, storageConnection));
        services.TryAddSingleton(_ => StorageClients.Tables(configuration, storageConnection));
        services.TryAddSingleton(_ => StorageClients.Queues(configuration, storageConnection));
        services.TryAddSingleton<GpuTrainingQueue>();
        services.TryAddSingleton<PlatformStorage>();
        services.TryAddSingleton<LabelingQueue>();
        services.TryAddSingleton<PredictionLog>();
        services.AddHostedService<PlatformStorageInitializer>();
        services.AddHostedService<PredictionLogWriter>();
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<ModelServer>();
        services.TryAddSingleton<BatchingScorer>();
        services.TryAddSingleton<ScoringApiServices>();
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
}
