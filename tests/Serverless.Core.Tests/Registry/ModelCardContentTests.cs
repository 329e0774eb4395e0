using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Registry;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Registry;

/// <summary>The model card's measured sections from holdout outputs: slices, reliability bins and ECE, residual quantiles, limitations.</summary>
public sealed class ModelCardContentTests
{
    private static readonly ModelSpec Spec = new()
    {
        Task = ModelTask.Binary,
        Label = "y",
        Features = [new("plan", FeatureType.Categorical, Nullable: true, Categories: ["a", "b", "c", "d"]), new("vip", FeatureType.Boolean, Nullable: true), new("x", FeatureType.Numeric)],
        Card = new ModelCardSpec { Slices = ["plan", "vip"], TopCategories = 2 },
    };

    [Fact]
    public void Slices_partition_the_holdout_with_top_categories_other_and_missing_and_flag_small_ones()
    {
        // plan: a ×150, b ×120, c ×20, d ×5, missing ×5 → a, b, (other) = c + d, (missing).
        string?[] plan = [.. Enumerable.Repeat("a", 150), .. Enumerable.Repeat("b", 120), .. Enumerable.Repeat("c", 20), .. Enumerable.Repeat("d", 5), .. Enumerable.Repeat<string?>(null, 5)];
        var n = plan.Length;
        var vip = Enumerable.Range(0, n).Select(i => i % 10 == 0 ? float.NaN : i % 3 == 0 ? 1f : 0f).ToArray();
        var y = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 1f : 0f).ToArray();
        var outputs = Enumerable.Range(0, n).Select(i => new ModelOutputRow(null, i % 2 == 0 ? 0.8f : 0.3f, null)).ToList();
        var holdout = new TabularDataset([DataColumn.Text("plan", plan), DataColumn.Float("vip", vip), DataColumn.Float("x", new float[n]), DataColumn.Float("y", y)]);

        var slices = ModelCardSlices.Measure(Spec, holdout, outputs, null);

        var byPlan = slices.Where(s => s.Column == "plan").ToList();
        Assert.Equal(["a", "b", ModelCardSlices.Other, ModelCardSlices.Missing], byPlan.Select(s => s.Category));
        Assert.Equal([150L, 120, 25, 5], byPlan.Select(s => s.Rows));
        Assert.Equal([false, false, true, true], byPlan.Select(s => s.Small));
        var byVip = slices.Where(s => s.Column == "vip").ToList();
        Assert.Equal(n, byVip.Sum(s => s.Rows));
        Assert.Contains(byVip, s => s.Category == ModelCardSlices.Missing && s.Rows == vip.Count(float.IsNaN));
        Assert.All(slices, s => Assert.Equal(1.0, s.Metrics[MetricNames.Accuracy]));
    }

    [Fact]
    public void Reliability_bins_count_every_row_and_ece_is_the_weighted_gap()
    {
        // 100 rows at p = 0.15 with 30% positive; 100 at p = 0.85 with 80% positive: ECE = ½·0.15 + ½·0.05 = 0.1.
        var p = Enumerable.Range(0, 200).Select(i => i < 100 ? 0.15f : 0.85f).ToArray();
        var y = Enumerable.Range(0, 200).Select(i => i < 100 ? (i < 30 ? 1f : 0f) : (i < 180 ? 1f : 0f)).ToArray();
        var calibration = CalibrationCurve.Measure(ModelTask.Binary, DataColumn.Float("y", y), [.. p.Select(v => new ModelOutputRow(null, v, null))], null)!;

        Assert.Equal(ModelCardCalibration.Probability, calibration.Kind);
        Assert.Equal(CalibrationCurve.Bins, calibration.Bins.Count);
        Assert.Equal(200, calibration.Bins.Sum(b => b.Count));
        Assert.Equal(0.1, calibration.ExpectedCalibrationError!.Value, 1e-6);
        var low = calibration.Bins[1];
        Assert.Equal((100L, 0.15, 0.3), (low.Count, Math.Round(low.MeanPredicted!.Value, 6), low.Observed!.Value));
        Assert.Equal((0L, null, null), (calibration.Bins[5].Count, calibration.Bins[5].MeanPredicted, calibration.Bins[5].Observed));
    }

    [Fact]
    public void Multiclass_bins_the_top_class_confidence_and_regression_reports_residual_quantiles()
    {
        string[] classes = ["x", "y", "z"];
        var outputs = new List<ModelOutputRow> { new("x", null, [0.75f, 0.15f, 0.1f]), new("y", null, [0.1f, 0.6f, 0.3f]), new("z", null, [0.2f, 0.2f, 0.6f]) };
        var multiclass = CalibrationCurve.Measure(ModelTask.Multiclass, DataColumn.Text("c", ["x", "x", "z"]), outputs, classes)!;
        Assert.Equal(ModelCardCalibration.Confidence, multiclass.Kind);
        Assert.Equal(3, multiclass.Bins.Sum(b => b.Count));
        Assert.Equal(1.0, multiclass.Bins[7].Observed);
        Assert.Equal(0.5, multiclass.Bins[6].Observed);
        Assert.InRange(multiclass.ExpectedCalibrationError!.Value, 0, 1);

        var regression = CalibrationCurve.Measure(ModelTask.Regression, DataColumn.Float("t", [.. Enumerable.Range(0, 101).Select(i => (float)i)]),
            [.. Enumerable.Range(0, 101).Select(_ => new ModelOutputRow(null, 50f, null))], null)!;
        Assert.Empty(regression.Bins);
        Assert.Null(regression.ExpectedCalibrationError);
        Assert.Equal(new Dictionary<string, double> { ["p05"] = -45, ["p25"] = -25, ["p50"] = 0, ["p75"] = 25, ["p95"] = 45 }, regression.ResidualQuantiles);
    }

    [Fact]
    public void Limitations_state_the_spec_text_then_small_slices_ignored_features_and_calibration()
    {
        var card = new ModelCard
        {
            Model = "m", RunId = "r", CreatedAt = DateTimeOffset.UnixEpoch, Task = ModelTask.Binary, Inputs = Spec.Features, Trainer = TrainerKind.LightGbm,
            TrainerParameters = new Dictionary<string, string>(), Metrics = new Dictionary<string, double>(), DatasetSha256 = "d", SpecSha256 = "s", PlatformVersion = "t",
            Gate = new GateReport(true, [], new Dictionary<string, double>(), null, 3, null),
            TrainRows = 800, HoldoutRows = 200,
            PermutationImportance = new Dictionary<string, double> { ["plan"] = 0.2, ["vip"] = 0.001, ["x"] = -0.01 },
            PermutationMetric = "auc",
        };
        var holdout = new ModelCardHoldout(
            [new ModelCardSlice("plan", "a", 150, new Dictionary<string, double>(), false), new ModelCardSlice("plan", "b", 50, new Dictionary<string, double>(), true)],
            new ModelCardCalibration(ModelCardCalibration.Probability, [], 0.12));
        var manifest = new DatasetManifest("m", "d", 1000, [], "data.csv", DateTimeOffset.UnixEpoch, 7, "s");

        var documented = ModelCardDocumentation.Complete(card, Spec with { Limitations = "Trained on synthetic data.", Owner = "team" }, manifest, holdout);

        Assert.Equal("team", documented.Owner);
        Assert.Equal((1000L, 7L, 3), (documented.Lineage!.IngestedRows!.Value, documented.Lineage.DroppedRows!.Value, documented.Lineage.PreviousChampion!.Value));
        Assert.Equal("Trained on synthetic data.", documented.Limitations!.Stated);
        var facts = documented.Limitations.Measured;
        Assert.Contains(facts, f => f.Contains("plan = b has only 50 holdout rows", StringComparison.Ordinal));
        Assert.Contains(facts, f => f.Contains("barely uses vip", StringComparison.Ordinal));
        Assert.Contains(facts, f => f.Contains("barely uses x", StringComparison.Ordinal));
        Assert.DoesNotContain(facts, f => f.Contains("barely uses plan", StringComparison.Ordinal));
        Assert.Contains(facts, f => f.Contains("off by 0.12", StringComparison.Ordinal));
    }
}
