using Microsoft.DurableTask.Client;

namespace Serverless.Durable.Pipeline;

/// <summary>Starting and inspecting pipeline runs, over whichever <see cref="DurableTaskClient"/> the host provides.</summary>
public sealed class PipelineClient(DurableTaskClient client, TimeProvider time)
{
    public DurableTaskClient Durable => client;

    /// <summary>Schedules a run on an already-snapshotted dataset version (explicit re-runs get a time-stamped id).</summary>
    public async Task<string> StartOnDatasetVersionAsync(string model, string sha256, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var runId = $"{model}-{sha256}-r{now:yyyyMMddHHmmssfff}";
        await client.ScheduleNewOrchestrationInstanceAsync(
            TrainingPipeline.Name,
            new PipelineInput(runId, model, sha256, reason, now),
            new() { InstanceId = runId },
            ct).ConfigureAwait(false);
        return runId;
    }

    /// <summary>Schedules a run on a file posted to the API and stored at <paramref name="blobName"/>.</summary>
    public async Task<string> StartOnUploadAsync(string model, string blobName, string sourceName, string sha256, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var runId = $"{model}-{sha256}-u{now:yyyyMMddHHmmssfff}";
        await client.ScheduleNewOrchestrationInstanceAsync(
            TrainingPipeline.Name,
            new PipelineInput(runId, model, sha256, sourceName, now, blobName),
            new() { InstanceId = runId },
            ct).ConfigureAwait(false);
        return runId;
    }

    public async Task<RunView?> GetRunAsync(string runId, CancellationToken ct)
    {
        var meta = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, ct).ConfigureAwait(false);
        if (meta is null)
        {
            return null;
        }

        return new RunView(
            meta.InstanceId,
            meta.RuntimeStatus.ToString(),
            meta.CreatedAt,
            meta.LastUpdatedAt,
            meta.SerializedCustomStatus is null ? null : meta.ReadCustomStatusAs<RunProgress>(),
            meta.RuntimeStatus == OrchestrationRuntimeStatus.Completed && meta.SerializedOutput is not null ? meta.ReadOutputAs<PipelineResult>() : null,
            meta.FailureDetails?.ErrorMessage);
    }
}
