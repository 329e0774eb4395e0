using Serverless.Core.Monitoring;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Core.Tests.Monitoring.Drift;

/// <summary>
/// Statistics against published or scipy 1.10.1 values (computed once with Debian's python3-scipy while writing
/// these tests; nothing calls Python at test time).
/// </summary>
public sealed class DriftStatisticsTests
{
    // Two small samples with distinct values (25 vs 27). scipy.stats.ks_2samp(a, b) → D = 0.20148148148148148,
    // p = 0.5899621246191237 (method 'auto' → 'exact' since both ≤ 10000).
    private static readonly double[] A = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47];
    private static readonly double[] B = [2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, 0.38, 0.7, 0.19, -0.41, -0.57, 1.11, 0.92, 0.5, -0.9, 0.26, 1.93];

    [Fact]
    public void Ks_exact_matches_scipy_for_distinct_values()
    {
        var (d, p) = Ks(A, B);
        Assert.Equal(0.20148148148148148, d, 12);
        Assert.Equal(0.5899621246191237, p, 9);
    }

    [Fact]
    public void Ks_exact_matches_scipy_for_equal_sizes()
    {
        // scipy.stats.ks_2samp(a, b[:25]) → D = 0.2, p = 0.7102038997076623 (scipy's m == n branch).
        var (d, p) = Ks(A, B[..25]);
        Assert.Equal(0.2, d, 12);
        Assert.Equal(0.7102038997076623, p, 9);
    }

    [Fact]
    public void Ks_exact_matches_scipy_with_ties()
    {
        // ref_i = (7i mod 53)/4, i < 300; cur_j = (11j mod 47)/4 + 1, j < 800 (many ties on both sides).
        // scipy.stats.ks_2samp(ref, cur) → D = 0.07666666666666666, p = 0.14648607055570168 (exact).
        var (d, p) = Ks(Seq(300, i => i * 7 % 53 / 4.0), Seq(800, j => j * 11 % 47 / 4.0 + 1));
        Assert.Equal(0.07666666666666666, d, 12);
        Assert.Equal(0.14648607055570168, p, 8);
    }

    [Fact]
    public void Ks_asymptotic_is_close_to_scipy_kstwo()
    {
        // cur_j = (13j mod 61)/4, j < 20000 > MAX_AUTO_N → scipy uses 'asymp' = kstwo.sf(D, round(300·20000/20300) = 296):
        // D = 0.13115, p = 6.712990514663844e-05. Ours is the Stephens-corrected Kolmogorov limit.
        var (d, p) = Ks(Seq(300, i => i * 7 % 53 / 4.0), Seq(20000, j => j * 13 % 61 / 4.0));
        Assert.Equal(0.13115, d, 12);
        Assert.InRange(p / 6.712990514663844e-05, 0.95, 1.05);
    }

    [Theory]
    // scipy.stats.kstwo.sf(d, n), scipy 1.10.1; the Stephens-corrected limit was within 1.5% at these points.
    [InlineData(0.06, 500L, 0.052435)]
    [InlineData(0.04, 1000L, 0.07934)]
    [InlineData(0.05, 1000L, 0.013012074781090332)]
    [InlineData(0.03, 5000L, 0.00024159234422666817)]
    public void Asymptotic_p_value_tracks_kstwo(double d, long ne, double expected)
    {
        // n1 = n2 = 2·ne gives round(n1·n2/(n1+n2)) = ne, and both above 10000 is not needed for the asymp routine itself.
        var p = KolmogorovSmirnov.AsymptoticPValue(d, 2 * ne, 2 * ne);
        Assert.InRange(p / expected, 0.985, 1.015);
    }

    [Fact]
    public void Kolmogorov_survival_matches_known_quantiles()
    {
        // Kolmogorov distribution: P(K > 1.3581) = 0.05, P(K > 1.6276) = 0.01 (standard critical values, e.g. scipy kstwobign.isf).
        Assert.Equal(0.05, KolmogorovSmirnov.KolmogorovSurvival(1.3580986393225507), 9);
        Assert.Equal(0.01, KolmogorovSmirnov.KolmogorovSurvival(1.6276236115189502), 9);
        // Both series branches agree at their switch point.
        Assert.Equal(KolmogorovSmirnov.KolmogorovSurvival(0.9999999), KolmogorovSmirnov.KolmogorovSurvival(1.0), 6);
    }

    [Theory]
    // Expected values: scipy 1.10.1, scipy.stats.chi2_contingency([reference, current], correction=False) → (χ², p).
    [InlineData(new long[] { 1, 1, 1, 1, 1, 1 }, new long[] { 16, 18, 16, 14, 12, 12 }, 0.13074493446010474, 0.9996861847860233)]
    [InlineData(new long[] { 2, 2, 2, 2, 2, 1 }, new long[] { 16, 18, 16, 14, 12, 12 }, 0.35295329670329667, 0.9965269859985754)]
    [InlineData(new long[] { 50, 30, 20 }, new long[] { 30, 40, 30 }, 8.428571428571429, 0.01478287719483942)]
    [InlineData(new long[] { 10, 10, 0 }, new long[] { 10, 10, 1 }, 0.9761904761904763, 0.6137944136482569)]
    public void Chi_square_matches_scipy_chi2_contingency(long[] reference, long[] current, double expectedStat, double expectedP)
    {
        var (stat, p) = HistogramStatistics.ChiSquare(reference, current);
        Assert.Equal(expectedStat, stat, 10);
        Assert.Equal(expectedP, p, 12);
    }

    [Fact]
    public void Chi_square_does_not_flag_unchanged_frequencies_when_the_window_outgrows_the_reference()
    {
        // Same shares, 10× the rows: a goodness-of-fit against the reference shares would still be 0 here, but with
        // sampling noise it fires; the two-sample test accounts for the reference's own noise.
        var (stat, p) = HistogramStatistics.ChiSquare([300, 200, 100], [3000, 2000, 1000]);
        Assert.Equal(0, stat, 12);
        Assert.Equal(1, p, 12);
        (_, p) = HistogramStatistics.ChiSquare([310, 190, 100], [2950, 2050, 1000]);
        Assert.True(p > 0.05, $"p = {p}");
    }

    [Fact]
    public void Jensen_shannon_matches_scipy_documentation_examples()
    {
        // scipy.spatial.distance.jensenshannon docs: ([1,0,0],[0,1,0], 2.0) → 1.0; ([1,0],[0.5,0.5], 2.0) → 0.5579230452841438.
        Assert.Equal(1.0, HistogramStatistics.JensenShannon([1, 0, 0], [0, 1, 0]), 12);
        Assert.Equal(0.5579230452841438, HistogramStatistics.JensenShannon([2, 0], [1, 1]), 12);
        // jensenshannon([0.2, 0.3, 0.5], [0.4, 0.4, 0.2], 2.0) → 0.27854838569509666 (scipy 1.10.1).
        Assert.Equal(0.27854838569509666, HistogramStatistics.JensenShannon([2, 3, 5], [4, 4, 2]), 12);
    }

    [Fact]
    public void Psi_by_hand()
    {
        // Shares r = (0.5, 0.5), c = (0.25, 0.75): (0.25·ln 2) + (−0.25·ln(2/3)) = 0.25·ln 3 = 0.27465307216702745.
        Assert.Equal(0.25 * Math.Log(3), HistogramStatistics.Psi([1, 1], [1, 3]), 12);
        Assert.Equal("significant", HistogramStatistics.PsiBand(0.27));
        Assert.Equal("moderate", HistogramStatistics.PsiBand(0.1));
        Assert.Equal("none", HistogramStatistics.PsiBand(0.0999));
    }

    [Theory]
    // scipy.stats.wasserstein_distance docs: ([0, 1, 3], [5, 6, 8]) → 5.0; ([3.4, 3.9, 7.5, 7.8], [4.5, 1.4]) → 2.7.
    [InlineData(new[] { 0.0, 1, 3 }, new[] { 5.0, 6, 8 }, 5.0)]
    [InlineData(new[] { 3.4, 3.9, 7.5, 7.8 }, new[] { 4.5, 1.4 }, 2.7)]
    public void Binned_wasserstein_is_exact_over_an_exact_reference(double[] reference, double[] current, double expected)
    {
        var h = Histogram(reference);
        var cur = Window(h, current);
        var w = BinnedWasserstein.Distance(h.Edges, h.Counts, h.Mass, cur.Counts, cur.Mass);
        Assert.Equal(expected, w, 5); // float32 inputs
    }

    internal static NumericHistogram Histogram(IReadOnlyList<double> values, int maxExactRows = 1000)
    {
        var spec = TestSpecs.Numeric("x");
        var data = TestSpecs.Data(("x", values.Select(v => (float)v).ToArray()));
        return ReferenceProfile.Build(spec, data, (Serverless.Core.Datasets.DataColumn?)null, maxExactRows).Features[0].Numeric!;
    }

    internal static NumericAccumulator Window(NumericHistogram h, IReadOnlyList<double> values)
    {
        var acc = new NumericAccumulator(h);
        acc.Add(values.Select(v => (float)v).ToArray());
        return acc;
    }

    private static (double D, double P) Ks(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        var h = Histogram(reference);
        var cur = Window(h, current);
        var d = KolmogorovSmirnov.Statistic(h.Counts, cur.Counts);
        return (d, KolmogorovSmirnov.PValue(d, reference.Count, current.Count));
    }

    private static double[] Seq(int n, Func<int, double> f) => Enumerable.Range(0, n).Select(f).ToArray();
}
