using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Core.Tests.Monitoring.Drift;

/// <summary>The binned counts a drift report carries for drawing each feature's reference-vs-current histogram.</summary>
public sealed class DriftHistogramTests
{
    private static readonly ModelSpec Spec = TestSpecs.Spec(ModelTask.Binary,
        new FeatureSpec("a", FeatureType.Numeric),
        new FeatureSpec("few", FeatureType.Numeric),
        new FeatureSpec("color", FeatureType.Categorical));

    private static TabularDataset Rows(int seed, int n, double shift)
    {
        var rng = new Random(seed);
        return new TabularDataset([
            DataColumn.Float("a", TestSpecs.Normal(rng, n, shift)),
            DataColumn.Float("few", Enumerable.Range(0, n).Select(_ => (float)rng.Next(3)).ToArray()),
            DataColumn.Text("color", TestSpecs.Categories(rng, n, ("red", 0.5), ("green", 0.3), ("blue", 0.2))),
        ]);
    }

    private static DriftReport Check(int referenceRows, double shift)
    {
        var profile = ReferenceProfile.Build(Spec, Rows(5, referenceRows, 0), (DataColumn?)null);
        var window = new DriftWindow(profile);
        window.Add(Rows(8, 600, shift));
        return DriftDetector.Evaluate(profile, window, new DriftSpec(), DateTimeOffset.UnixEpoch, "m", 1);
    }

    [Theory]
    [InlineData(500)] // exact edges: every reference value
    [InlineData(5000)] // quantile edges
    public void Every_feature_carries_counts_that_add_up_to_the_reference_and_the_window(int referenceRows)
    {
        var report = Check(referenceRows, shift: 0);
        Assert.All(report.Features, f =>
        {
            var histogram = f.Histogram!;
            Assert.Equal(histogram.Bins.Count, histogram.Reference.Length);
            Assert.Equal(histogram.Bins.Count, histogram.Current.Length);
            Assert.Equal(referenceRows, histogram.Reference.Sum());
            Assert.Equal(f.CurrentCount, histogram.Current.Sum());
        });
    }

    [Fact]
    public void Categories_are_the_bins_with_other_last_and_a_numeric_column_with_few_values_has_one_bin_per_value()
    {
        var report = Check(500, shift: 0);
        var colors = report.Features.Single(f => f.Name == "color").Histogram!.Bins;
        Assert.Equal(CategoryCounts.Other, colors[^1]);
        Assert.Equal(["blue", "green", "red"], colors.SkipLast(1).Order(StringComparer.Ordinal));
        Assert.Equal(["0", "1", "2"], report.Features.Single(f => f.Name == "few").Histogram!.Bins);
    }

    [Fact]
    public void A_continuous_column_is_drawn_in_at_most_twenty_reference_quantile_bins_and_a_shift_moves_the_window_up()
    {
        var histogram = Check(5000, shift: 1.0).Features.Single(f => f.Name == "a").Histogram!;
        Assert.InRange(histogram.Bins.Count, 15, 20);
        // About 5 % of the reference per bin; a window shifted by one std puts over 45 % (unshifted: 20 %) in the top four.
        Assert.All(histogram.Reference, c => Assert.InRange(c, 150, 350));
        var top = histogram.Current[^4..].Sum() / (double)histogram.Current.Sum();
        Assert.True(top > 0.45, $"share of the shifted window in the top four bins: {top:F2}");
        Assert.StartsWith("< ", histogram.Bins[0]);
        Assert.All(histogram.Bins.Skip(1), b => Assert.StartsWith("≥ ", b));
    }
}
