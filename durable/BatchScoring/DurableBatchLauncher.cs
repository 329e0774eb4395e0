using Microsoft.DurableTask.Client;
using Serverless.Core.BatchScoring;

namespace Serverless.Durable.BatchScoring;

/// <summary>Starts and reads batch orchestrations over whichever <see cref="DurableTaskClient"/> the host provides.</summary>
public sealed class DurableBatchLauncher(DurableTaskClient client) : IBatchScoringLauncher
{
    public async Task<bool> TryStartAsync(BatchScoringRequest request, CancellationToken ct)
    {
        if (await client.GetInstanceAsync(request.BatchId, ct).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await client.ScheduleNewOrchestrationInstanceAsync(BatchScoringOrchestration.Name, request, new() { InstanceId = request.BatchId }, ct).ConfigureAwait(false);
        return true;
    }

    public async Task<BatchView?> GetAsync(string batchId, CancellationToken ct)
    {
        var meta = await client.GetInstanceAsync(batchId, getInputsAndOutputs: true, ct).ConfigureAwait(false);
        if (meta is null || meta.Name != BatchScoringOrchestration.Name)
        {
            return null;
        }

        return new BatchView(
            meta.InstanceId,
            meta.RuntimeStatus.ToString(),
            meta.CreatedAt,
            meta.LastUpdatedAt,
            meta.SerializedInput is null ? null : meta.ReadInputAs<BatchScoringRequest>(),
            meta.RuntimeStatus == OrchestrationRuntimeStatus.Completed && meta.SerializedOutput is not null ? meta.ReadOutputAs<BatchSummary>() : null,
            meta.FailureDetails?.ErrorMessage);
    }
}
