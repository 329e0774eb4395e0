using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Training.Sweeps;
using Serverless.Core.Tests.Training.Mlp;

namespace Serverless.Core.Tests.Training.Sweeps;

/// <summary>An mlp sweep in process: ASHA's rungs spend epochs, trial i's setting depends on the seed and i only.</summary>
public sealed class MlpSweepTests
{
    private static ModelSpec Spec(ModelTask task, int trials = 6) => MlpTestSpecs.Spec(task, epochs: 9, patience: 100) with
    {
        Search = new SearchSpec
        {
            Space = new Dictionary<string, SearchDimension>
            {
                ["learningRate"] = new(SearchDistribution.LogUniform, Min: 0.002, Max: 0.05),
                ["hiddenUnits"] = new(SearchDistribution.Choice, [8, 32]),
            },
            Trials = trials,
            Concurrency = 2,
            Strategy = SearchStrategy.Asha,
            Seed = 11,
        },
    };

    [Fact]
    public void Asha_over_epochs_promotes_the_best_third_and_refits_the_best_rungs_epochs()
    {
        // 9 epochs, η = 3, from ⌈9/9⌉ = 1: rungs of 1, 3 and 9 epochs with 6 → 2 → 1 trials.
        var spec = Spec(ModelTask.Binary);
        var result = new SweepRunner().Run(spec, SyntheticData.Create(ModelTask.Binary, 600));

        Assert.Equal([6, 2, 1], Enumerable.Range(0, 3).Select(r => result.Trials.Count(t => t.Rungs.Any(g => g.Rung == r))));
        var finalist = Assert.Single(result.Trials, t => t.Status == TrialStatuses.Completed);
        Assert.Equal([1, 3, 9], finalist.Rungs.Select(r => r.Resource!.Value));
        Assert.All(result.Trials.SelectMany(t => t.Rungs), r => Assert.InRange(r.Metric!.Value, 0.5, 1.0));
        Assert.All(result.Trials.SelectMany(t => t.Rungs), r => Assert.Equal("cpu", r.Device));

        var best = result.Trials.SelectMany(t => t.Rungs.Select(r => (t.Trial, r.Resource, r.Metric))).OrderByDescending(x => x.Metric).ThenBy(x => x.Trial).First();
        Assert.Equal((best.Trial, best.Metric), (result.Summary.BestTrial, result.Summary.BestMetric));
        Assert.Equal(best.Resource!.Value, result.Summary.BestParameters[SearchSpec.EpochsResource]);
        Assert.False(result.Summary.BestParameters.ContainsKey(SearchSpec.Resource));

        // The refit takes the winner's epochs and network; the trainer's other hyperparameters stay.
        var tuned = SweepRunner.TunedSpec(spec, result);
        Assert.Equal(best.Resource.Value, tuned.Trainer.Get("epochs"));
        Assert.Equal(result.Summary.BestParameters["hiddenUnits"], tuned.Trainer.Get("hiddenUnits"));
        Assert.Equal(64, tuned.Trainer.Get("batchSize"));
    }

    [Fact]
    public void The_same_seed_gives_the_same_mlp_trial_table()
    {
        var spec = Spec(ModelTask.Regression, trials: 3);
        var data = SyntheticData.Create(ModelTask.Regression, 500);
        Assert.Equal(Table(new SweepRunner().Run(spec, data)), Table(new SweepRunner().Run(spec, data)));
    }

    [Fact]
    public void A_multiclass_mlp_trial_is_ranked_by_log_loss()
    {
        var result = new SweepRunner().Run(Spec(ModelTask.Multiclass, trials: 3), SyntheticData.Create(ModelTask.Multiclass, 600));
        Assert.Equal(("logLoss", "minimize"), (result.Summary.Metric, result.Summary.Direction));
        Assert.Equal(result.Trials.SelectMany(t => t.Rungs).Min(r => r.Metric), result.Summary.BestMetric);
    }

    private static List<string> Table(SweepResult r) =>
        [.. r.Trials.Select(t => $"{t.Trial} {t.Status} {string.Join(",", t.Parameters.Select(p => $"{p.Key}={p.Value:R}"))} {string.Join(",", t.Rungs.Select(g => $"{g.Resource}:{g.Metric:R}"))}")];
}
