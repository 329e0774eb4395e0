using Microsoft.Extensions.Configuration;
using Serverless.Core.FeatureStore;
using Serverless.Core.Hosting;
using Serverless.Core.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serverless.Core.Ingest;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Registry.Events;
using Serverless.Core.Scoring;
using Serverless.Core.Specs.Routing;
using Serverless.App.BatchScoring;
using Serverless.App.Features;
using Serverless.App.Datasets;
using Serverless.App.Feedback;
using Serverless.App.Http;
using Serverless.App.Models;
using Serverless.App.Serving;
using Serverless.App.Intake;
using Serverless.App.Monitoring;
using Serverless.App.WebConsole;

namespace Serverless.App.Hosting;

/// <summary>The application layer's parts of the composition root (<see cref="PlatformBuilder"/>).</summary>
public static class PlatformServiceCollectionExtensions
{
    /// <summary>
    /// What serving alone needs (the GPU scorer): registry, champions with hot swap, dynamic batching, the prediction
    /// log and its writer, and <see cref="ScoringApiServices"/>. Creates no storage: the scorer's identity may only read
    /// <c>registry</c>/<c>models</c> and write <c>predictions</c> and <c>labeling</c> (infra/main.bicep creates them all).
    /// </summary>
    public static PlatformBuilder AddScoring(this PlatformBuilder platform)
    {
        var services = platform.Services;
        services.AddOptions<ScoringOptions>().Bind(platform.Configuration.GetSection(ScoringOptions.Section));
        services.AddOptions<PredictionLogOptions>().Bind(platform.Configuration.GetSection(PredictionLogOptions.Section));
        services.TryAddSingleton<LabelingQueue>();
        services.TryAddSingleton<IUncertainPredictionSink>(sp => sp.GetRequiredService<LabelingQueue>());
        services.TryAddSingleton<PredictionLog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PredictionLogWriter>());
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<ModelServer>();
        services.TryAddSingleton<BatchingScorer>();
        services.TryAddSingleton<TrafficStats>();
        services.TryAddSingleton<ShadowScoring>();
        platform.AddFeatureStore();
        services.TryAddSingleton<OnlineFeatureAssembler>();
        services.TryAddSingleton<PredictionService>();
        services.TryAddSingleton<ExplanationService>();
        services.TryAddSingleton<ModelCatalog>();
        services.TryAddSingleton<ScoringApiServices>();
        return platform;
    }

    /// <summary>
    /// Everything the full API needs on top of scoring: intake (drops, feedback files), feedback, labeling and
    /// monitoring. Runs are started through an <see cref="IRunLauncher"/> the orchestration project provides.
    /// </summary>
    public static PlatformBuilder AddPlatformApi(this PlatformBuilder platform)
    {
        var services = platform.AddScoring().AddRegistryEvents().Services;
        // The Functions host and the local host own the account (Blob Data Owner in Azure, Azurite locally).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PlatformStorageInitializer>());
        services.TryAddSingleton<PredictionLogReader>();
        services.AddOptions<FeedbackOptions>().Bind(platform.Configuration.GetSection(FeedbackOptions.Section));
        services.AddOptions<ConsoleOptions>().Bind(platform.Configuration.GetSection(ConsoleOptions.Section));
        services.TryAddSingleton<FeedbackService>();
        services.TryAddSingleton<LiveQualityCalculator>();
        services.AddOptions<LiveQualitySeriesOptions>().Bind(platform.Configuration.GetSection(LiveQualitySeriesOptions.Section));
        services.TryAddSingleton<LiveQualityHistory>();
        services.TryAddSingleton<LiveQualityRequests>();
        services.TryAddSingleton<DriftReportHistory>();
        services.TryAddSingleton<MonitoringCycle>();
        services.TryAddSingleton<FeedbackIntake>();
        services.TryAddSingleton<IncomingScanner>();
        services.TryAddSingleton<FeedbackRequests>();
        // Ingest decides where a run trains (drop intake ingests before the run starts).
        services.AddOptions<TrainingRoutingOptions>().Bind(platform.Configuration.GetSection(TrainingRoutingOptions.Section));
        services.AddOptions<IngestOptions>().Bind(platform.Configuration.GetSection(IngestOptions.Section));
        services.TryAddSingleton<IngestService>();
        services.TryAddSingleton<ModelLifecycle>();
        services.TryAddSingleton<ModelLifecycleRequests>();
        platform.AddFeatureStore();
        services.TryAddSingleton<FeaturePushRequests>();
        services.TryAddSingleton<DatasetCatalog>();
        services.AddRunLog(platform.Configuration);
        return platform;
    }

    /// <summary>
    /// What needs an <see cref="IRunLauncher"/> from DI. Only for hosts that register one (the local host); Functions
    /// builds it per invocation over the client <c>[DurableClient]</c> hands out.
    /// </summary>
    public static PlatformBuilder AddRunIntake(this PlatformBuilder platform)
    {
        platform.Services.TryAddSingleton<DropIntake>();
        platform.Services.TryAddSingleton<PlatformApiServices>();
        platform.Services.TryAddSingleton<BatchRequests>();
        return platform;
    }
}
