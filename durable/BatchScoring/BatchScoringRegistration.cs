using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Core.BatchScoring;
using Serverless.Core.Hosting;
using Serverless.Durable.Lifecycle;
using Serverless.Durable.Pipeline;

namespace Serverless.Durable.BatchScoring;

/// <summary>
/// Batch scoring's services and its list of tasks beside <see cref="PipelineTasks"/>: the local host registers both
/// lists, the Functions project has one trigger per entry (a test checks the union).
/// </summary>
public static class BatchScoringRegistration
{
    public static readonly IReadOnlyList<string> Orchestrations = [BatchScoringOrchestration.Name];

    public static readonly IReadOnlyList<string> Activities = [PlanBatch.Name, ScoreBatchChunk.Name, AssembleBatch.Name, RefuseBatch.Name];

    public static PlatformBuilder AddBatchScoring(this PlatformBuilder platform)
    {
        var services = platform.Services;
        services.AddOptions<BatchScoringOptions>().Configure(o => platform.Configuration.GetSection(BatchScoringOptions.Section).Bind(o));
        services.TryAddSingleton<BatchScorer>();
        services.AddOptions<HistoryRetentionOptions>().Configure(o => platform.Configuration.GetSection(HistoryRetentionOptions.Section).Bind(o));
        services.TryAddSingleton<InstanceHistoryPurge>();
        services.TryAddTransient<PlanBatch>();
        services.TryAddTransient<ScoreBatchChunk>();
        services.TryAddTransient<AssembleBatch>();
        services.TryAddTransient<RefuseBatch>();
        return platform;
    }

    public static void AddBatchScoringTasks(this DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<BatchScoringRequest, BatchSummary>(BatchScoringOrchestration.Name, BatchScoringOrchestration.RunAsync);
        PipelineTasks.Add<PlanBatch>(registry, PlanBatch.Name);
        PipelineTasks.Add<ScoreBatchChunk>(registry, ScoreBatchChunk.Name);
        PipelineTasks.Add<AssembleBatch>(registry, AssembleBatch.Name);
        PipelineTasks.Add<RefuseBatch>(registry, RefuseBatch.Name);
    }
}
