using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Serverless.Core.BatchScoring;
using Serverless.Durable.BatchScoring;

namespace Serverless.Durable.Tests;

/// <summary>The batch orchestration's control flow on the in-memory backend, with scripted activities under the real names.</summary>
public sealed class BatchScoringOrchestrationTests
{
    private static readonly BatchScoringRequest Request = new("batch-1", "m", "m/incoming/f.csv", null, "id", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Chunks_run_at_most_parallelism_at_once_and_all_reach_the_assembly()
    {
        var plan = new BatchPlan(3, Enumerable.Range(0, 9).Select(i => new BatchChunk(i, 1 + (10L * i), 10)).ToList(), 92, 2, 2, null);
        int inFlight = 0, maxInFlight = 0;
        BatchAssembly? assembled = null;
        await using var host = await StartAsync(r =>
        {
            r.AddActivityFunc<BatchScoringRequest, BatchPlan>(PlanBatch.Name, (_, _) => plan);
            r.AddActivityFunc<BatchChunkWork, BatchChunkResult>(ScoreBatchChunk.Name, async (_, work) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                await Task.Delay(20 * (work.Chunk.Index % 3));
                Interlocked.Decrement(ref inFlight);
                Assert.Equal(3, work.Version);
                return new BatchChunkResult(work.Chunk.Index, 9, 1);
            });
            r.AddActivityFunc<BatchAssembly, BatchSummary>(AssembleBatch.Name, (_, a) =>
            {
                assembled = a;
                return new BatchSummary(a.Request.BatchId, "m", 3, "m/incoming/f.csv", BatchSummary.Succeeded, "r", "e", 92, 81, 11, null, DateTimeOffset.UnixEpoch);
            });
        });

        var meta = await RunAsync(host.Client);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, meta.RuntimeStatus);
        Assert.InRange(maxInFlight, 1, 2);
        Assert.Equal(Enumerable.Range(0, 9), assembled!.Chunks.Select(c => c.Index).Order());
        Assert.Equal(81, meta.ReadOutputAs<BatchSummary>()!.RowsOut);
    }

    [Fact]
    public async Task A_refused_plan_scores_nothing_and_records_the_reason()
    {
        var scored = 0;
        await using var host = await StartAsync(r =>
        {
            r.AddActivityFunc<BatchScoringRequest, BatchPlan>(PlanBatch.Name, (_, _) => BatchPlan.Refused("no champion"));
            r.AddActivityFunc<BatchChunkWork, BatchChunkResult>(ScoreBatchChunk.Name, (_, w) =>
            {
                Interlocked.Increment(ref scored);
                return new BatchChunkResult(w.Chunk.Index, 0, 0);
            });
            r.AddActivityFunc<BatchRefusal, BatchSummary>(RefuseBatch.Name, (_, refusal) =>
                new BatchSummary(refusal.Request.BatchId, "m", null, "m/incoming/f.csv", BatchSummary.Refused, null, null, 0, 0, 0, refusal.Problem, DateTimeOffset.UnixEpoch));
        });

        var summary = (await RunAsync(host.Client)).ReadOutputAs<BatchSummary>()!;

        Assert.Equal((BatchSummary.Refused, "no champion"), (summary.Status, summary.Problem));
        Assert.Equal(0, scored);
    }

    private static async Task<OrchestrationMetadata> RunAsync(DurableTaskClient client)
    {
        await client.ScheduleNewOrchestrationInstanceAsync(BatchScoringOrchestration.Name, Request, new StartOrchestrationOptions { InstanceId = Request.BatchId });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await client.WaitForInstanceCompletionAsync(Request.BatchId, getInputsAndOutputs: true, timeout.Token);
    }

    private static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> activities)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(
                    r =>
                    {
                        r.AddOrchestratorFunc<BatchScoringRequest, BatchSummary>(BatchScoringOrchestration.Name, BatchScoringOrchestration.RunAsync);
                        activities(r);
                    },
                    new DurableTaskTestHostOptions { Port = FreePort() });
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
