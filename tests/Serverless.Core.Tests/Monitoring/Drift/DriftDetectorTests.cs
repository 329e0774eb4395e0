using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring;
using Serverless.Core.Specs;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Core.Tests.Monitoring.Drift;

public sealed class DriftDetectorTests
{
    // Tests at α = 0.05 flag about 5% of unshifted features by construction, so the current window's seed is fixed.
    // Evidently's χ² is goodness of fit against reference frequencies taken as exact: its false-positive rate grows
    // with current/reference size (the statistic scales by about 1 + n_cur/n_ref) and with the reference's own sampling
    // error, so windows stay below the reference and the reference seed is fixed too.
    private const int Seed = 8;

    private const int RefSeed = 5;

    private const int N = 400;

    private static readonly DateTimeOffset At = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static readonly ModelSpec Spec = TestSpecs.Spec(ModelTask.Binary,
        new FeatureSpec("a", FeatureType.Numeric, Nullable: true),
        new FeatureSpec("b", FeatureType.Numeric),
        new FeatureSpec("color", FeatureType.Categorical),
        new FeatureSpec("flag", FeatureType.Boolean));

    private static TabularDataset Rows(int seed, int n, double shiftA = 0, double shiftB = 0, double redShare = 0.5)
    {
        var rng = new Random(seed);
        var flags = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.3 ? 1f : 0f).ToArray();
        return new TabularDataset([
            DataColumn.Float("a", TestSpecs.Normal(rng, n, shiftA)),
            DataColumn.Float("b", TestSpecs.Normal(rng, n, 10 + shiftB, 2)),
            DataColumn.Text("color", TestSpecs.Categories(rng, n, ("red", redShare), ("green", 0.3), ("blue", 0.7 - redShare))),
            DataColumn.Float("flag", flags),
        ]);
    }

    private static DataColumn Scores(int seed, int n, double shift = 0) =>
        DataColumn.Float(ReferenceProfile.PredictionName, TestSpecs.Normal(new Random(seed), n, 0.5 + shift, 0.1));

    private static DriftReport Check(int referenceRows, TabularDataset current, DriftSpec? spec = null, DataColumn? predictions = null)
    {
        var profile = ReferenceProfile.Build(Spec, Rows(RefSeed, referenceRows), Scores(RefSeed + 1, referenceRows));
        var window = new DriftWindow(profile);
        window.Add(current, predictions ?? Scores(Seed, current.RowCount));
        return DriftDetector.Evaluate(profile, window, spec ?? new DriftSpec(), At, "churn", 3);
    }

    private static FeatureDrift Feature(DriftReport r, string name) => r.Features.Single(f => f.Name == name);

    [Theory]
    [InlineData(1000, "ks", "chisquare", "z")] // small reference: tests
    [InlineData(20_000, "wasserstein", "jensenshannon", "jensenshannon")] // large reference: distances
    public void Unshifted_data_does_not_drift(int referenceRows, string numericMethod, string categoricalMethod, string booleanMethod)
    {
        var r = Check(referenceRows, Rows(Seed, N));
        Assert.Equal(DriftStatus.NoDrift, r.Status);
        Assert.False(r.DatasetDrift);
        Assert.All(r.Features, f => Assert.False(f.Drifted, f.Name));
        Assert.Equal(numericMethod, Feature(r, "a").Method);
        Assert.Equal(categoricalMethod, Feature(r, "color").Method);
        Assert.Equal(booleanMethod, Feature(r, "flag").Method);
        Assert.Equal("none", Feature(r, "a").PsiBand);
        Assert.Equal(("churn", 3, At, (long)referenceRows, (long)N), (r.Model, r.Version, r.At, r.ReferenceRows, r.CurrentRows));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(20_000)]
    public void Shifted_numeric_feature_drifts(int referenceRows)
    {
        var r = Check(referenceRows, Rows(Seed, N, shiftA: 0.5));
        var a = Feature(r, "a");
        Assert.True(a.Drifted);
        Assert.False(Feature(r, "b").Drifted);
        Assert.Equal(0.25, r.DriftedShare);
        Assert.False(r.DatasetDrift);
        Assert.Equal(DriftStatus.NoDrift, r.Status);
        if (a.Method == "wasserstein") Assert.InRange(a.Statistic, 0.4, 0.6); // shift of 0.5 std
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(20_000)]
    public void Categorical_frequency_change_drifts(int referenceRows)
    {
        var r = Check(referenceRows, Rows(Seed, N, redShare: 0.2));
        Assert.True(Feature(r, "color").Drifted);
        Assert.NotEqual("none", Feature(r, "color").PsiBand);
        Assert.False(Feature(r, "a").Drifted);
    }

    [Fact]
    public void Dataset_drifts_at_the_configured_share()
    {
        var current = Rows(Seed, N, shiftA: 1, shiftB: 2);
        var r = Check(1000, current);
        Assert.Equal(0.5, r.DriftedShare);
        Assert.True(r.DatasetDrift);
        Assert.Equal(DriftStatus.Drift, r.Status);

        r = Check(1000, current, new DriftSpec { DatasetDriftShare = 0.75 });
        Assert.False(r.DatasetDrift);
        Assert.Equal(DriftStatus.NoDrift, r.Status);
    }

    [Fact]
    public void Prediction_drift_is_reported_apart_from_the_share()
    {
        var r = Check(1000, Rows(Seed, N), predictions: Scores(Seed, N, shift: 0.05));
        Assert.True(r.Prediction!.Drifted);
        Assert.Equal("prediction", r.Prediction.Name);
        Assert.Equal(0, r.DriftedShare);
        Assert.False(r.DatasetDrift);
        Assert.Equal(DriftStatus.Drift, r.Status);
    }

    [Fact]
    public void Small_window_is_insufficient_data_with_statistics()
    {
        var r = Check(1000, Rows(Seed, 40, shiftA: 3));
        Assert.Equal(DriftStatus.InsufficientData, r.Status);
        Assert.Null(r.DatasetDrift);
        Assert.True(Feature(r, "a").Drifted);
        Assert.NotNull(Feature(r, "a").PValue);
        Assert.Equal(40, Feature(r, "a").CurrentCount);
    }

    [Fact]
    public void Missing_values_are_counted_apart()
    {
        var current = Rows(Seed, 1000);
        var a = current["a"].FloatValues;
        for (var i = 0; i < 100; i++) a[i] = float.NaN;
        var f = Feature(Check(1000, current), "a");
        Assert.Equal((900L, 100L), (f.CurrentCount, f.MissingCount));
        Assert.False(f.Drifted);
    }

    [Fact]
    public void Overrides_change_method_and_threshold()
    {
        var current = Rows(Seed, N, shiftA: 0.15);
        var spec = new DriftSpec
        {
            PValueThreshold = 1e-12,
            DistanceThreshold = 0.5,
            Features = new Dictionary<string, FeatureDriftOverride>
            {
                ["a"] = new("wasserstein", 0.1),
                ["b"] = new("psi"),
                ["color"] = new("jensenshannon"),
                ["prediction"] = new(Threshold: 0.01),
            },
        };

        var r = Check(1000, current, spec);
        var a = Feature(r, "a");
        Assert.Equal(("wasserstein", 0.1, true), (a.Method, a.Threshold, a.Drifted));
        Assert.Equal(("psi", 0.1), (Feature(r, "b").Method, Feature(r, "b").Threshold));
        Assert.Equal(("jensenshannon", 0.5), (Feature(r, "color").Method, Feature(r, "color").Threshold)); // DistanceThreshold
        Assert.Equal(("z", 1e-12), (Feature(r, "flag").Method, Feature(r, "flag").Threshold)); // PValueThreshold
        Assert.Equal(("ks", 0.01), (r.Prediction!.Method, r.Prediction.Threshold));

        // The same shift under the default KS test at p < 1e-12 does not drift.
        var strict = Check(1000, current, new DriftSpec { PValueThreshold = 1e-12 });
        Assert.False(Feature(strict, "a").Drifted);
    }

    [Fact]
    public void Order_methods_are_refused_for_categories()
    {
        var spec = new DriftSpec { Features = new Dictionary<string, FeatureDriftOverride> { ["color"] = new("ks") } };
        Assert.Throws<ArgumentException>(() => Check(1000, Rows(Seed, 200), spec));
    }

    [Fact]
    public void Report_serializes()
    {
        var json = JsonSerializer.Serialize(Check(1000, Rows(Seed, 500)), PlatformJson.Options);
        var back = JsonSerializer.Deserialize<DriftReport>(json, PlatformJson.Options)!;
        Assert.Equal("no-drift", back.Status);
        Assert.Equal(4, back.Features.Count);
    }
}
