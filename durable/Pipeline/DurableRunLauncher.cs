using Microsoft.DurableTask.Client;
using Serverless.Core.Runs;

namespace Serverless.Durable.Pipeline;

/// <summary>Starts and inspects pipeline runs over whichever <see cref="DurableTaskClient"/> the host provides.</summary>
public sealed class DurableRunLauncher(DurableTaskClient client, TimeProvider time) : IRunLauncher
{
    public Task<string> StartOnDatasetVersionAsync(string model, string sha256, string reason, CancellationToken ct) =>
        StartOnDatasetVersionAsync(model, sha256, reason, RunTriggers.DatasetVersion, null, ct);

    public Task<string> StartOnDatasetVersionAsync(string model, string sha256, string reason, string trigger, string? rerunOf, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return ScheduleAsync(new PipelineInput($"{model}-{sha256}-r{now:yyyyMMddHHmmssfff}", model, sha256, reason, now, Trigger: trigger, RerunOf: rerunOf), ct);
    }

    public Task<string> StartOnUploadAsync(string model, string blobName, string sourceName, string? clientFileName, string sha256, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return ScheduleAsync(new PipelineInput($"{model}-{sha256}-u{now:yyyyMMddHHmmssfff}", model, sha256, sourceName, now, blobName, clientFileName, RunTriggers.Upload), ct);
    }

    public async Task<bool> TryStartAsync(PipelineInput input, CancellationToken ct)
    {
        try
        {
            await ScheduleAsync(input, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (await client.GetInstanceAsync(input.RunId, ct).ConfigureAwait(false) is null)
            {
                throw;
            }

            return false;
        }
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
            meta.FailureDetails?.ErrorMessage,
            meta.SerializedInput is null ? null : meta.ReadInputAs<PipelineInput>());
    }

    public Task<RunPage> ListRunsAsync(RunQuery query, CancellationToken ct) => DurableRunQuery.ListAsync(client, query, ct);

    public async Task<RunCancellation> CancelAsync(string runId, string reason, CancellationToken ct)
    {
        var meta = await client.GetInstanceAsync(runId, ct).ConfigureAwait(false);
        if (meta is null) return RunCancellation.Missing;
        if (meta.RuntimeStatus is not (OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended))
        {
            return RunCancellation.NotActive;
        }

        // A run that finishes between the read and this call keeps its result: the hub ignores terminating a finished instance.
        await client.TerminateInstanceAsync(runId, new TerminateInstanceOptions { Output = reason }, ct).ConfigureAwait(false);
        return RunCancellation.Requested;
    }

    public async Task<RunState> GetStateAsync(string runId, CancellationToken ct)
    {
        var meta = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, ct).ConfigureAwait(false);
        if (meta is null)
        {
            return RunState.Missing;
        }

        return meta.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed => meta.ReadOutputAs<PipelineResult>() is { Outcome: not RunOutcomes.Quarantined } ? RunState.Succeeded : RunState.Retryable,
            OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated => RunState.Retryable,
            _ => RunState.Active,
        };
    }

    private async Task<string> ScheduleAsync(PipelineInput input, CancellationToken ct)
    {
        await client.ScheduleNewOrchestrationInstanceAsync(TrainingPipeline.Name, input, new() { InstanceId = input.RunId }, ct).ConfigureAwait(false);
        return input.RunId;
    }
}
