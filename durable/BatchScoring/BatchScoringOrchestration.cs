using Microsoft.DurableTask;
using Serverless.Core.BatchScoring;

namespace Serverless.Durable.BatchScoring;

/// <summary>
/// plan (pin the version, split the file) → score the chunks, at most <see cref="BatchPlan.Parallelism"/> at once →
/// assemble results, errors and summary. Deterministic: only activity results decide what happens next.
/// </summary>
public static class BatchScoringOrchestration
{
    public const string Name = "BatchScoring";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromSeconds(30)));

    public static async Task<BatchSummary> RunAsync(TaskOrchestrationContext context, BatchScoringRequest request)
    {
        var plan = await context.CallActivityAsync<BatchPlan>(PlanBatch.Name, request, Retry);
        if (plan.Problem is { } problem)
        {
            return await context.CallActivityAsync<BatchSummary>(RefuseBatch.Name, new BatchRefusal(request, problem), Retry);
        }

        var done = new List<BatchChunkResult>(plan.Chunks.Count);
        var running = new List<Task<BatchChunkResult>>();
        foreach (var chunk in plan.Chunks)
        {
            if (running.Count == plan.Parallelism)
            {
                done.Add(await TakeFirstAsync(running));
                context.SetCustomStatus(new BatchProgress(done.Count, plan.Chunks.Count, plan.RowsIn));
            }

            running.Add(context.CallActivityAsync<BatchChunkResult>(ScoreBatchChunk.Name, new BatchChunkWork(request, plan.Version, chunk), Retry));
        }

        done.AddRange(await Task.WhenAll(running));
        context.SetCustomStatus(new BatchProgress(done.Count, plan.Chunks.Count, plan.RowsIn));
        return await context.CallActivityAsync<BatchSummary>(AssembleBatch.Name, new BatchAssembly(request, plan, done), Retry);
    }

    private static async Task<BatchChunkResult> TakeFirstAsync(List<Task<BatchChunkResult>> running)
    {
        var first = await Task.WhenAny(running);
        running.Remove(first);
        return await first;
    }
}

/// <summary>The orchestration's custom status while chunks are scored.</summary>
public sealed record BatchProgress(int ChunksDone, int Chunks, long RowsIn);
