using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>
/// Hands a GPU trainer request to the trainer job's queue, one per replica when the MLP spec asks for
/// <c>replicas</c> &gt; 1 (each becomes a job execution); the run's answer comes back as its external event.
/// </summary>
public sealed class DispatchGpuTraining(GpuTrainingQueue queue, TimeProvider time) : PipelineActivity<TrainRequest, bool>
{
    public const string Name = "DispatchGpuTraining";

    protected override string Step => PipelineSteps.Dispatch;

    protected override RunRef Subject(TrainRequest input) => new(input.RunId, input.Model);

    protected override async Task<bool> ExecuteAsync(TrainRequest request, CancellationToken ct)
    {
        var replicas = request.Spec?.Trainer is { Type: TrainerKind.Mlp } trainer ? MlpHyperparameters.From(trainer).Replicas : 1;
        var at = time.GetUtcNow();

        // A retried activity sends again: harmless, a replica's second message replays its stored rounds and answers nothing new.
        await Task.WhenAll(Enumerable.Range(0, replicas).Select(i =>
            queue.SendRequestAsync(new GpuTrainingRequest(request.RunId, request.Model, request.DatasetSha256, at, i, replicas), ct))).ConfigureAwait(false);
        return true;
    }
}
