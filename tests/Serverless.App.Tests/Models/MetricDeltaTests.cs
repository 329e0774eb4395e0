using Serverless.App.Models;

namespace Serverless.App.Tests.Models;

public sealed class MetricDeltaTests
{
    [Fact]
    public void Deltas_are_b_minus_a_and_better_follows_each_metrics_direction()
    {
        var deltas = VersionComparer.MetricDeltas(
            new Dictionary<string, double> { ["auc"] = 0.80, ["logLoss"] = 0.40, ["rmse"] = 1.0, ["accuracy"] = 0.9 },
            new Dictionary<string, double> { ["auc"] = 0.85, ["logLoss"] = 0.45, ["rmse"] = 1.0, ["f1"] = double.NaN })
            .ToDictionary(d => d.Metric);

        Assert.Equal(["accuracy", "auc", "f1", "logLoss", "rmse"], deltas.Keys);
        Assert.Equal(0.05, deltas["auc"].Delta!.Value, 12);
        Assert.Equal("b", deltas["auc"].Better);
        Assert.Equal(0.05, deltas["logLoss"].Delta!.Value, 12);
        Assert.Equal("a", deltas["logLoss"].Better); // lower is better
        Assert.Equal("tie", deltas["rmse"].Better);
        Assert.Equal(new MetricDelta("accuracy", 0.9, null, null, null), deltas["accuracy"]);
        Assert.Equal(new MetricDelta("f1", null, null, null, null), deltas["f1"]); // undefined on b's holdout
    }
}
