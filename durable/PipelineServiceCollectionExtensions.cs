using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Core.FeatureStore;
using Serverless.Core.Hosting;
using Serverless.Core.Ingest;
using Serverless.Core.Promotion;
using Serverless.Core.Runs;
using Serverless.Core.Specs.Routing;
using Serverless.Core.Training;
using Serverless.Core.Training.Remote;
using Serverless.Core.Training.Sweeps;
using Serverless.Durable.BatchScoring;
using Serverless.Durable.Pipeline;
using Serverless.Durable.Pipeline.Activities;
using Serverless.Durable.Pipeline.Features;
using Serverless.Durable.Releases;

namespace Serverless.Durable;

/// <summary>The orchestration's services, registered the same way by the Functions app and the local host.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>The pipeline's activities and what they write through (run artifacts, the GPU trainer's queues).</summary>
    public static PlatformBuilder AddPipeline(this PlatformBuilder platform)
    {
        var services = platform.Services;
        services.TryAddSingleton<GpuTrainingQueue>();
        services.TryAddSingleton<RunArtifacts>();
        services.AddRunLog(platform.Configuration);
        services.AddOptions<TrainingRoutingOptions>().Configure(o => platform.Configuration.GetSection(TrainingRoutingOptions.Section).Bind(o));
        services.TryAddSingleton<IngestService>();
        platform.AddFeatureStore();
        services.TryAddSingleton<CandidateEvaluation>();
        services.TryAddSingleton<ModelRegistration>();
        services.TryAddSingleton<ChampionPromotion>();
        services.TryAddTransient<IngestDataset>();
        services.TryAddTransient<QuarantineDrop>();
        services.TryAddSingleton<SweepDataCache>();
        services.TryAddSingleton<SweepTrials>();
        services.TryAddTransient<RunSweepTrial>();
        services.TryAddTransient<DispatchSweepTrial>();
        services.TryAddTransient<RecordSweep>();
        services.TryAddTransient<TrainCandidate>();
        services.TryAddTransient<DispatchGpuTraining>();
        services.TryAddTransient<EvaluateCandidate>();
        services.TryAddTransient<RegisterModel>();
        services.TryAddTransient<PromoteModel>();
        platform.AddBatchScoring();
        platform.AddReleases();
        services.TryAddTransient<MaterializeFeatureView>();
        return platform;
    }

    /// <summary>
    /// <see cref="IRunLauncher"/> over the <see cref="DurableTaskClient"/> in DI. Only for hosts that register that
    /// client (the local host); Functions hands it out per invocation through <c>[DurableClient]</c>.
    /// </summary>
    public static PlatformBuilder AddDurableRunLauncher(this PlatformBuilder platform)
    {
        platform.Services.TryAddSingleton<IRunLauncher, DurableRunLauncher>();
        platform.Services.TryAddSingleton<Serverless.Core.BatchScoring.IBatchScoringLauncher, DurableBatchLauncher>();
        return platform;
    }
}
