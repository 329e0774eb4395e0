using Serverless.Core.Runs;
using Serverless.Core.Training.Remote;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>Hands a GPU trainer request to the trainer job's queue; its answer comes back as the run's external event.</summary>
public sealed class DispatchGpuTraining(GpuTrainingQueue queue, TimeProvider time) : PipelineActivity<TrainRequest, bool>
{
    public const string Name = "DispatchGpuTraining";

    protected override string Step => PipelineSteps.Dispatch;

    protected override RunRef Subject(TrainRequest input) => new(input.RunId, input.Model);

    protected override async Task<bool> ExecuteAsync(TrainRequest request, CancellationToken ct)
    {
        await queue.SendRequestAsync(new GpuTrainingRequest(request.RunId, request.Model, request.DatasetSha256, time.GetUtcNow()), ct).ConfigureAwait(false);
        return true;
    }
}
