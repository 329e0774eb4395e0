using Serverless.Core.Specs;
using Serverless.Core.Tests.Training.Mlp;
using Serverless.Core.Training.Remote;

namespace Serverless.Core.Tests.Training.Remote;

/// <summary>What the dispatch activity queues for a run.</summary>
public sealed class GpuTrainingRequestTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_mlp_spec_with_replicas_gets_one_request_per_replica()
    {
        var spec = MlpTestSpecs.Spec(ModelTask.Binary);
        spec = spec with { Trainer = spec.Trainer with { Hyperparameters = new Dictionary<string, double>(spec.Trainer.Hyperparameters!) { ["replicas"] = 3 } } };

        var requests = GpuTrainingRequest.ForRun("run-1", "m", "sha", At, spec);

        Assert.Equal([0, 1, 2], requests.Select(r => r.Replica));
        Assert.All(requests, r => Assert.Equal(new GpuTrainingRequest("run-1", "m", "sha", At, r.Replica, 3), r));
    }

    [Fact]
    public void Without_replicas_and_for_other_trainers_one_request_as_before()
    {
        Assert.Equal([new GpuTrainingRequest("run-1", "m", "sha", At)], GpuTrainingRequest.ForRun("run-1", "m", "sha", At, MlpTestSpecs.Spec(ModelTask.Binary)));
        Assert.Equal([new GpuTrainingRequest("run-1", "m", "sha", At)], GpuTrainingRequest.ForRun("run-1", "m", "sha", At, SyntheticData.Spec(ModelTask.Binary, TrainerKind.LightGbm) with { Trainer = new TrainerSpec(TrainerKind.LightGbm, Compute: TrainerSpec.Gpu) }));
        Assert.Single(GpuTrainingRequest.ForRun("run-1", "m", "sha", At, null));
    }
}
