using Microsoft.Extensions.Logging;
using Serverless.Core.FeatureStore;
using Serverless.Core.Runs;
using Serverless.Core.Training.Remote;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>
/// Hands a GPU trainer request to the trainer job's queue, one per replica when the MLP spec asks for
/// <c>replicas</c> &gt; 1 (each becomes a job execution); the run's answer comes back as its external event. A spec
/// with feature views is joined first (<see cref="TrainingSetSnapshots"/>): the job reads the training set.
/// </summary>
public sealed class DispatchGpuTraining(GpuTrainingQueue queue, TrainingSetSnapshots trainingSets, TimeProvider time, ILogger<DispatchGpuTraining> logger) : PipelineActivity<TrainRequest, bool>
{
    public const string Name = "DispatchGpuTraining";

    protected override string Step => PipelineSteps.Dispatch;

    protected override RunRef Subject(TrainRequest input) => new(input.RunId, input.Model);

    protected override async Task<bool> ExecuteAsync(TrainRequest request, CancellationToken ct)
    {
        // A retried activity sends again: harmless, a replica's second message computes the same contributions (the
        // first blob of each round is kept) and the run is answered once.
        var snapshot = await trainingSets.PrepareAsync(request.RunId, request.Model, request.DatasetSha256, request.Spec, ct).ConfigureAwait(false);
        // After a sweep the job trains the winner: the frozen spec.json holds the spec as declared.
        var tuned = request.Spec?.Search is not null ? request.Spec.Trainer.Hyperparameters : null;
        var requests = GpuTrainingRequest.ForRun(request.RunId, request.Model, snapshot, time.GetUtcNow(), request.Spec);
        await Task.WhenAll(requests.Select(r => queue.SendRequestAsync(r with { Hyperparameters = tuned }, ct))).ConfigureAwait(false);
        logger.LogInformation("Handed to the trainer job: {Requests} request(s) queued; the job's lines follow as it trains.", requests.Count);
        return true;
    }
}
