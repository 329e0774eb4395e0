using Serverless.Core.Datasets;
using Serverless.Core.Monitoring;
using Serverless.Core.Specs;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Core.Tests.Monitoring.Drift;

/// <summary>
/// The default test per column follows Evidently's <c>_get_default_stattest</c> (evidently stattests/registry.py):
/// reference ≤ 1000 rows → KS for numbers, χ² for more than two values, the Z-test for proportions for two or fewer;
/// larger references → Wasserstein for numbers, Jensen–Shannon otherwise; numbers with ≤ 5 distinct values (reference
/// and current together) are categories.
/// </summary>
public sealed class DriftDefaultMethodTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static readonly ModelSpec Spec = TestSpecs.Spec(ModelTask.Regression,
        new FeatureSpec("flag", FeatureType.Boolean),
        new FeatureSpec("binary", FeatureType.Numeric),
        new FeatureSpec("calls", FeatureType.Numeric),
        new FeatureSpec("five", FeatureType.Numeric),
        new FeatureSpec("six", FeatureType.Numeric),
        new FeatureSpec("two", FeatureType.Categorical),
        new FeatureSpec("color", FeatureType.Categorical));

    private static TabularDataset Rows(int seed, int n, int maxCalls = 2)
    {
        var rng = new Random(seed);
        float[] Ints(int below) => Enumerable.Range(0, n).Select(_ => (float)rng.Next(below)).ToArray();
        return new TabularDataset([
            DataColumn.Float("flag", Ints(2)),
            DataColumn.Float("binary", Ints(2)),
            DataColumn.Float("calls", Ints(maxCalls + 1)),
            DataColumn.Float("five", Ints(5)),
            DataColumn.Float("six", Ints(6)),
            DataColumn.Text("two", Enumerable.Range(0, n).Select(_ => rng.Next(2) == 0 ? "yes" : "no").ToArray()),
            DataColumn.Text("color", Enumerable.Range(0, n).Select(_ => new[] { "red", "green", "blue" }[rng.Next(3)]).ToArray()),
        ]);
    }

    private static DriftReport Check(TabularDataset reference, TabularDataset current, DriftSpec? spec = null)
    {
        var profile = ReferenceProfile.Build(Spec, reference, (DataColumn?)null);
        var window = new DriftWindow(profile);
        window.Add(current);
        return DriftDetector.Evaluate(profile, window, spec ?? new DriftSpec(), At, "m", 1);
    }

    private static string Method(DriftReport r, string name) => r.Features.Single(f => f.Name == name).Method;

    [Fact]
    public void Small_reference_tests_booleans_and_two_valued_columns_by_z_and_few_valued_ones_by_chi_square()
    {
        var r = Check(Rows(1, 800), Rows(2, 300));
        Assert.Equal("z", Method(r, "flag"));
        Assert.Equal("z", Method(r, "binary"));
        Assert.Equal("z", Method(r, "two"));
        Assert.Equal("chisquare", Method(r, "calls"));
        Assert.Equal("chisquare", Method(r, "five"));
        Assert.Equal("ks", Method(r, "six"));
        Assert.Equal("chisquare", Method(r, "color"));
        Assert.All(r.Features, f => Assert.False(f.Drifted, f.ToString()));
    }

    [Fact]
    public void Large_reference_uses_jensen_shannon_for_every_column_with_few_values()
    {
        var r = Check(Rows(1, 5000), Rows(2, 300));
        foreach (var name in new[] { "flag", "binary", "calls", "five", "two", "color" })
        {
            Assert.Equal("jensenshannon", Method(r, name));
        }

        Assert.Equal("wasserstein", Method(r, "six"));
        Assert.All(r.Features, f => Assert.False(f.Drifted, f.ToString()));
    }

    [Fact]
    public void Distinct_values_are_counted_over_reference_and_current_together()
    {
        // calls: 0–2 in the reference; the window adds 3, 4 (five values: still categorical), then 5 (six: KS).
        Assert.Equal("chisquare", Method(Check(Rows(1, 800), Rows(2, 300, maxCalls: 4)), "calls"));
        Assert.Equal("ks", Method(Check(Rows(1, 800), Rows(2, 300, maxCalls: 5)), "calls"));

        // A two-valued reference column whose window brings a third value is χ², as in Evidently.
        var current = Rows(2, 300);
        current["binary"].FloatValues[0] = 7;
        current["two"].TextValues[0] = "maybe";
        var r = Check(Rows(1, 800), current);
        Assert.Equal("chisquare", Method(r, "binary"));
        Assert.Equal("chisquare", Method(r, "two"));
    }

    [Theory]
    // Reference values: the formula in Evidently's z_stattest.py (pooled two-proportion z, two-sided p = 2(1 − Φ(|z|)))
    // with Python's math.erfc, computed once while writing this test; Debian's statsmodels 0.13.5
    // proportions_ztest([c_ref, c_cur], [n_ref, n_cur]) (pooled variance, its default) gives the same z and p to 1e-16.
    [InlineData(300, 1000, 150, 400, -2.7144835701531846, 0.006637919288202816, true)]
    [InlineData(300, 1000, 130, 400, -0.9160389225355533, 0.35964648059385795, false)]
    [InlineData(40, 200, 10, 150, 3.5276684147527884, 0.00041923696954098696, true)]
    public void Z_test_matches_the_reference_for_booleans(int trueRef, int nRef, int trueCur, int nCur, double z, double p, bool drifted)
    {
        var spec = TestSpecs.Spec(ModelTask.Regression, new FeatureSpec("flag", FeatureType.Boolean));
        static TabularDataset Flags(int trues, int n) => new([DataColumn.Float("flag", Enumerable.Range(0, n).Select(i => i < trues ? 1f : 0f).ToArray())]);
        var profile = ReferenceProfile.Build(spec, Flags(trueRef, nRef), (DataColumn?)null);
        var window = new DriftWindow(profile);
        window.Add(Flags(trueCur, nCur));

        var f = DriftDetector.Evaluate(profile, window, new DriftSpec(), At, "m", 1).Features.Single();

        Assert.Equal("z", f.Method);
        Assert.Equal(z, f.Statistic, 1e-12);
        Assert.Equal(p, f.PValue!.Value, 1e-12);
        Assert.Equal(0.05, f.Threshold);
        Assert.Equal(drifted, f.Drifted);
    }

    [Fact]
    public void Z_test_on_one_value_on_both_sides_is_no_drift_and_on_a_flip_is_drift()
    {
        var spec = TestSpecs.Spec(ModelTask.Regression, new FeatureSpec("c", FeatureType.Categorical));
        static TabularDataset Values(string value, int n) => new([DataColumn.Text("c", Enumerable.Repeat<string?>(value, n).ToArray())]);
        var profile = ReferenceProfile.Build(spec, Values("a", 500), (DataColumn?)null);

        var same = new DriftWindow(profile);
        same.Add(Values("a", 200));
        var f = DriftDetector.Evaluate(profile, same, new DriftSpec(), At, "m", 1).Features.Single();
        Assert.Equal(("z", 1.0, false), (f.Method, f.PValue!.Value, f.Drifted));

        var flipped = new DriftWindow(profile);
        flipped.Add(Values("b", 200));
        f = DriftDetector.Evaluate(profile, flipped, new DriftSpec(), At, "m", 1).Features.Single();
        Assert.Equal("z", f.Method);
        Assert.True(f.Drifted);
        Assert.True(f.PValue < 1e-50, f.ToString());
    }

    [Fact]
    public void Few_valued_numbers_keep_their_exact_values_in_a_large_reference()
    {
        var profile = ReferenceProfile.Build(Spec, Rows(1, 20_000), (DataColumn?)null);
        var five = profile.Find("five")!.Numeric!;
        Assert.True(five.Exact);
        Assert.Equal([0.0, 1, 2, 3, 4], five.Edges);
    }
}
