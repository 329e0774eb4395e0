using Serverless.Core.Datasets;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Core.Tests.Training.Sweeps;

public sealed class SweepRunnerTests
{
    private static ModelSpec Spec(ModelTask task, SearchStrategy strategy = SearchStrategy.Random, int trials = 6, int? folds = null) =>
        SyntheticData.Spec(task, TrainerKind.LightGbm) with
        {
            Search = new SearchSpec
            {
                Space = new Dictionary<string, SearchDimension>
                {
                    ["learningRate"] = new(SearchDistribution.LogUniform, Min: 0.02, Max: 0.5),
                    ["numberOfLeaves"] = new(SearchDistribution.Int, Min: 2, Max: 16),
                },
                Trials = trials,
                Concurrency = 2,
                Strategy = strategy,
                Folds = folds,
                Seed = 5,
            },
        };

    [Fact]
    public void Random_search_scores_every_trial_and_picks_the_best()
    {
        var spec = Spec(ModelTask.Binary);
        var result = new SweepRunner().Run(spec, SyntheticData.Create(ModelTask.Binary, 1200));

        Assert.Equal(6, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal(TrialStatuses.Completed, t.Status));
        Assert.All(result.Trials, t => Assert.InRange(Assert.Single(t.Rungs).Metric!.Value, 0.5, 1.0));
        var best = result.Trials.MaxBy(t => t.Rungs[0].Metric)!;
        Assert.Equal(best.Trial, result.Summary.BestTrial);
        Assert.Equal(best.Rungs[0].Metric, result.Summary.BestMetric);
        Assert.Equal(best.Parameters, result.Summary.BestParameters);
        Assert.Equal(("random", "auc", "maximize"), (result.Summary.Strategy, result.Summary.Metric, result.Summary.Direction));

        // The refit spec keeps the trainer's other hyperparameters and takes the winner's.
        var tuned = SweepRunner.TunedSpec(spec, result);
        Assert.Equal(best.Parameters["learningRate"], tuned.Trainer.Get("learningRate"));
        Assert.Equal(20, tuned.Trainer.Get("numberOfTrees"));
    }

    [Fact]
    public void The_same_seed_gives_the_same_trial_table()
    {
        var spec = Spec(ModelTask.Regression, folds: 3);
        var data = SyntheticData.Create(ModelTask.Regression, 900);
        var a = new SweepRunner().Run(spec, data);
        var b = new SweepRunner().Run(spec, data);
        Assert.Equal(Table(a), Table(b));
        Assert.Equal((a.Summary.BestTrial, a.Summary.BestMetric), (b.Summary.BestTrial, b.Summary.BestMetric));
        Assert.Equal(a.Summary.BestParameters, b.Summary.BestParameters);
        Assert.Equal(("rmse", "minimize", 3), (a.Summary.Metric, a.Summary.Direction, a.Summary.Folds));
    }

    [Fact]
    public void The_holdout_never_reaches_a_trial()
    {
        // Scrambling the holdout's labels changes nothing a trial sees: trials train and validate on the training split only.
        var spec = Spec(ModelTask.Multiclass, trials: 3);
        var data = SyntheticData.Create(ModelTask.Multiclass, 900);
        var holdout = HoldoutSplit.Create(data.RowCount, spec.Holdout).HoldoutRows.ToHashSet();
        var labels = data["target"].TextValues.Select((v, i) => holdout.Contains(i) ? "low" : v).ToArray();
        var scrambled = new TabularDataset([.. data.Columns.Select(c => c.Name == "target" ? DataColumn.Text("target", labels) : c)]);

        Assert.Equal(Table(new SweepRunner().Run(spec, data)), Table(new SweepRunner().Run(spec, scrambled)));
    }

    [Fact]
    public void Asha_stops_weak_trials_and_picks_the_best_score_of_any_rung()
    {
        // 20 trees, η = 3: rungs of 3, 9 and 20 trees with 9 → 3 → 1 trials.
        var spec = Spec(ModelTask.Binary, SearchStrategy.Asha, trials: 9);
        var result = new SweepRunner().Run(spec, SyntheticData.Create(ModelTask.Binary, 1200));

        Assert.Equal([1, 2, 3], result.Trials.Select(t => t.Rungs.Count).Order().Distinct());
        Assert.Equal(6, result.Trials.Count(t => t.Rungs.Count == 1));
        Assert.Equal(3, result.Trials.Count(t => t.Rungs.Count >= 2));
        var finalist = Assert.Single(result.Trials, t => t.Status == TrialStatuses.Completed);
        Assert.Equal(8, result.Trials.Count(t => t.Status == TrialStatuses.StoppedEarly));
        Assert.Equal([3, 9, 20], finalist.Rungs.Select(r => r.Resource!.Value));

        // The winner is the best score at any rung, refitted with that rung's trees.
        var best = result.Trials.SelectMany(t => t.Rungs.Select(r => (t.Trial, r.Resource, r.Metric))).OrderByDescending(x => x.Metric).ThenBy(x => x.Trial).First();
        Assert.Equal(best.Trial, result.Summary.BestTrial);
        Assert.Equal(best.Metric, result.Summary.BestMetric);
        Assert.Equal(best.Resource!.Value, result.Summary.BestParameters[SearchSpec.Resource]);

        // Promoted out of rung 0: the best three of it.
        var rung0 = result.Trials.OrderByDescending(t => t.Rungs[0].Metric).ThenBy(t => t.Trial).Take(3).Select(t => t.Trial).Order();
        Assert.Equal(rung0, result.Trials.Where(t => t.Rungs.Count >= 2).Select(t => t.Trial));
    }

    [Fact]
    public void A_trial_the_trainer_refuses_fails_alone()
    {
        // Leaves up to 200,000 are past LightGBM's bound (the validator keeps specs from asking; the book must still cope).
        var spec = Spec(ModelTask.Binary) with
        {
            Search = Spec(ModelTask.Binary).Search! with { Space = new Dictionary<string, SearchDimension> { ["numberOfLeaves"] = new(SearchDistribution.Choice, [8, 200_000]) }, Trials = 4 },
        };
        var result = new SweepRunner().Run(spec, SyntheticData.Create(ModelTask.Binary, 600));
        Assert.Contains(result.Trials, t => t.Status == TrialStatuses.Failed && t.Error is not null && t.Parameters["numberOfLeaves"] == 200_000);
        Assert.Equal(8, result.Summary.BestParameters["numberOfLeaves"]);
    }

    private static List<string> Table(SweepResult r) =>
        [.. r.Trials.Select(t => $"{t.Trial} {t.Status} {string.Join(",", t.Parameters.Select(p => $"{p.Key}={p.Value:R}"))} {string.Join(",", t.Rungs.Select(g => $"{g.Resource}:{g.Metric:R}"))}")];
}
