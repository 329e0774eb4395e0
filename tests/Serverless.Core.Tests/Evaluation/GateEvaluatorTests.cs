using Serverless.Core.Evaluation;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Evaluation;

public sealed class GateEvaluatorTests
{
    private static ModelSpec Spec(GateSpec gates) => new()
    {
        Task = ModelTask.Binary,
        Label = "y",
        Features = [new FeatureSpec("x", FeatureType.Numeric)],
        Gates = gates,
    };

    private static Dictionary<string, double> M(params (string Metric, double Value)[] values) =>
        values.ToDictionary(v => v.Metric, v => v.Value);

    [Fact]
    public void Thresholds_pass_when_all_bounds_hold()
    {
        var spec = Spec(new GateSpec([new MetricThreshold(MetricNames.Auc, Min: 0.8), new MetricThreshold(MetricNames.LogLoss, Max: 0.5)]));

        var report = GateEvaluator.Evaluate(spec, M((MetricNames.Auc, 0.85), (MetricNames.LogLoss, 0.4)), null, null, null);

        Assert.True(report.Passed);
        Assert.Equal(2, report.Checks.Count);
        Assert.All(report.Checks, c => Assert.True(c.Passed));
        Assert.Equal(new[] { (GateEvaluator.MinCheck, 0.8), (GateEvaluator.MaxCheck, 0.5) }, report.Checks.Select(c => (c.Name, c.Required!.Value)));
    }

    [Fact]
    public void One_failed_threshold_fails_the_gate()
    {
        var spec = Spec(new GateSpec([new MetricThreshold(MetricNames.Auc, Min: 0.8), new MetricThreshold(MetricNames.LogLoss, Max: 0.5)]));

        var report = GateEvaluator.Evaluate(spec, M((MetricNames.Auc, 0.85), (MetricNames.LogLoss, 0.6)), null, null, null);

        Assert.False(report.Passed);
        var failed = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal(MetricNames.LogLoss, failed.Metric);
        Assert.Equal(0.6, failed.Actual);
    }

    [Fact]
    public void Threshold_with_both_bounds_yields_two_checks()
    {
        var spec = Spec(new GateSpec([new MetricThreshold(MetricNames.Accuracy, Min: 0.6, Max: 0.99)]));

        var report = GateEvaluator.Evaluate(spec, M((MetricNames.Accuracy, 0.995)), null, null, null);

        Assert.False(report.Passed);
        Assert.Equal([true, false], report.Checks.Select(c => c.Passed));
    }

    [Fact]
    public void Missing_or_undefined_metric_fails_its_threshold()
    {
        var spec = Spec(new GateSpec([new MetricThreshold(MetricNames.Auc, Min: 0.5), new MetricThreshold(MetricNames.F1, Min: 0.1)]));

        var report = GateEvaluator.Evaluate(spec, M((MetricNames.Auc, double.NaN)), null, null, null);

        Assert.False(report.Passed);
        Assert.All(report.Checks, c => Assert.False(c.Passed));
        Assert.Equal("auc undefined < 0.5", report.Checks[0].Detail);
    }

    [Fact]
    public void No_champion_passes_the_comparison()
    {
        var spec = Spec(new GateSpec(Comparison: new ChampionComparison(MetricNames.Auc, 0.01)));

        var report = GateEvaluator.Evaluate(spec, M((MetricNames.Auc, 0.7)), null, null, null);

        Assert.True(report.Passed);
        var check = Assert.Single(report.Checks);
        Assert.Equal(GateEvaluator.ChampionCheck, check.Name);
        Assert.Equal("no champion", check.Detail);
        Assert.Null(check.Required);
    }

    [Theory]
    [InlineData(0.85, 0.84, 0.005, true)]   // +0.01 ≥ +0.005
    [InlineData(0.85, 0.846, 0.005, false)] // +0.004 < +0.005
    [InlineData(0.85, 0.80, 0.05, true)]    // exactly the required improvement
    [InlineData(0.83, 0.84, -0.02, true)]   // a bounded regression is allowed
    [InlineData(0.81, 0.84, -0.02, false)]
    public void Auc_comparison_improves_upwards(double candidate, double champion, double minImprovement, bool passed)
    {
        var spec = Spec(new GateSpec(Comparison: new ChampionComparison(MetricNames.Auc, minImprovement)));

        var report = GateEvaluator.Evaluate(spec, M((MetricNames.Auc, candidate)), M((MetricNames.Auc, champion)), 3, "re-scored on holdout");

        Assert.Equal(passed, report.Passed);
        Assert.Equal(champion + minImprovement, report.Checks[0].Required!.Value, 12);
        Assert.Equal(3, report.ChampionVersion);
        Assert.Equal("re-scored on holdout", report.Note);
    }

    [Theory]
    [InlineData(1.0, 1.2, 0.1, true)]  // lower rmse by 0.2 ≥ 0.1
    [InlineData(1.15, 1.2, 0.1, false)] // lower by only 0.05
    [InlineData(1.2, 1.0, 0.0, false)] // a larger rmse is worse even though the number grew
    [InlineData(1.0, 1.0, 0.0, true)]  // a tie meets a zero improvement
    public void Rmse_comparison_improves_downwards(double candidate, double champion, double minImprovement, bool passed)
    {
        var spec = Spec(new GateSpec(Comparison: new ChampionComparison(MetricNames.Rmse, minImprovement)));

        var report = GateEvaluator.Evaluate(spec, M((MetricNames.Rmse, candidate)), M((MetricNames.Rmse, champion)), 1, null);

        Assert.Equal(passed, report.Passed);
        Assert.Equal(champion - minImprovement, report.Checks[0].Required!.Value, 12);
    }

    [Fact]
    public void Report_carries_both_metric_sets()
    {
        var candidate = M((MetricNames.Auc, 0.9));
        var champion = M((MetricNames.Auc, 0.8));
        var spec = Spec(new GateSpec([new MetricThreshold(MetricNames.Auc, Min: 0.95)], new ChampionComparison(MetricNames.Auc)));

        var report = GateEvaluator.Evaluate(spec, candidate, champion, 2, null);

        Assert.False(report.Passed); // comparison passes, threshold does not
        Assert.Same(candidate, report.CandidateMetrics);
        Assert.Same(champion, report.ChampionMetrics);
        Assert.Equal([false, true], report.Checks.Select(c => c.Passed));
    }

    [Fact]
    public void No_gates_pass()
    {
        Assert.True(GateEvaluator.Evaluate(Spec(new GateSpec()), M(), null, null, null).Passed);
    }
}
