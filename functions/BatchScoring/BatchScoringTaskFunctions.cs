using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Core.BatchScoring;
using Serverless.Durable.BatchScoring;

namespace Serverless.Functions.BatchScoring;

/// <summary>The Functions face of <see cref="BatchScoringRegistration"/>: the orchestration and one trigger per activity.</summary>
public sealed class BatchScoringTaskFunctions(PlanBatch plan, ScoreBatchChunk score, AssembleBatch assemble, RefuseBatch refuse)
{
    [Function(BatchScoringOrchestration.Name)]
    public static Task<BatchSummary> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) =>
        BatchScoringOrchestration.RunAsync(context, context.GetInput<BatchScoringRequest>()!);

    [Function(PlanBatch.Name)]
    public Task<BatchPlan> Plan([ActivityTrigger] BatchScoringRequest request, FunctionContext context) => plan.RunAsync(request, context.CancellationToken);

    [Function(ScoreBatchChunk.Name)]
    public Task<BatchChunkResult> Score([ActivityTrigger] BatchChunkWork work, FunctionContext context) => score.RunAsync(work, context.CancellationToken);

    [Function(AssembleBatch.Name)]
    public Task<BatchSummary> Assemble([ActivityTrigger] BatchAssembly assembly, FunctionContext context) => assemble.RunAsync(assembly, context.CancellationToken);

    [Function(RefuseBatch.Name)]
    public Task<BatchSummary> Refuse([ActivityTrigger] BatchRefusal refusal, FunctionContext context) => refuse.RunAsync(refusal, context.CancellationToken);
}
