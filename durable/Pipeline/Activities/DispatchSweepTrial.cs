using Serverless.Core.Runs;
using Serverless.Core.Training.Remote;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>
/// Hands one sweep trial of a run placed on the trainer job to the job's queue; its score comes back as the trial's
/// external event (<see cref="GpuQueues.TrialEvent"/>).
/// </summary>
public sealed class DispatchSweepTrial(GpuTrainingQueue queue, TimeProvider time) : PipelineActivity<TrialRequest, bool>
{
    public const string Name = "DispatchSweepTrial";

    protected override string Step => PipelineSteps.Sweep;

    protected override RunRef Subject(TrialRequest input) => new(input.RunId, input.Model);

    protected override async Task<bool> ExecuteAsync(TrialRequest request, CancellationToken ct)
    {
        // A retried send is harmless: the second message finds the trial's stored score, and its answer is not awaited.
        await queue.SendRequestAsync(
            new GpuTrainingRequest(request.RunId, request.Model, request.DatasetSha256, time.GetUtcNow(), Trial: new JobTrial(request.Trial, request.Rung, request.Parameters)),
            ct).ConfigureAwait(false);
        return true;
    }
}
