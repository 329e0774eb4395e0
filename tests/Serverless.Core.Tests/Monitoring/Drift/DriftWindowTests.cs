using Serverless.Core.Datasets;
using Serverless.Core.Monitoring;
using Serverless.Core.Specs;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Core.Tests.Monitoring.Drift;

public sealed class DriftWindowTests
{
    [Fact]
    public void Merge_equals_single_pass()
    {
        var reference = ReferenceProfileTests.Rows(1, 5000);
        var spec = TestSpecs.Spec(ModelTask.Regression, [.. reference.Columns.Select(c => new FeatureSpec(c.Name, c.Kind == ColumnKind.Float ? FeatureType.Numeric : FeatureType.Categorical))]);
        var profile = ReferenceProfile.Build(spec, reference, (DataColumn?)null);
        var current = ReferenceProfileTests.Rows(2, 3000);

        var single = new DriftWindow(profile);
        single.Add(current);

        var parts = new[] { (0, 1000), (1000, 2500), (2500, 3000) }
            .Select(r => current.Select(Enumerable.Range(r.Item1, r.Item2 - r.Item1).ToList()))
            .Select(batch =>
            {
                var w = new DriftWindow(profile);
                w.Add(batch);
                return w;
            })
            .ToList();
        var merged = parts[0];
        merged.Merge(parts[1]);
        merged.Merge(parts[2]);

        Assert.Equal(single.Rows, merged.Rows);
        for (var i = 0; i < profile.Features.Count; i++)
        {
            if (single.NumericAt(i) is { } n)
            {
                Assert.Equal(n.Counts, merged.NumericAt(i)!.Counts);
                Assert.Equal(n.Mass.Sum(), merged.NumericAt(i)!.Mass.Sum(), 6);
            }
            else
            {
                Assert.Equal(single.CategoricalAt(i)!.Counts, merged.CategoricalAt(i)!.Counts);
            }
        }

        var at = DateTimeOffset.UnixEpoch;
        var a = DriftDetector.Evaluate(profile, single, new DriftSpec(), at, "m", 1);
        var b = DriftDetector.Evaluate(profile, merged, new DriftSpec(), at, "m", 1);
        foreach (var (x, y) in a.Features.Zip(b.Features))
        {
            Assert.Equal(x.Drifted, y.Drifted);
            Assert.Equal(x.Statistic, y.Statistic, 9);
        }
    }

    [Fact]
    public void Merge_refuses_another_profile()
    {
        var one = ReferenceProfile.Build(TestSpecs.Numeric("x"), TestSpecs.Data(("x", [1, 2, 3])), (DataColumn?)null);
        var two = ReferenceProfile.Build(TestSpecs.Numeric("y"), TestSpecs.Data(("y", [1, 2, 3])), (DataColumn?)null);
        Assert.Throws<ArgumentException>(() => new DriftWindow(one).Merge(new DriftWindow(two)));
    }

    [Fact]
    public void Binned_wasserstein_is_within_two_percent_of_exact_on_a_large_reference()
    {
        // Reference 100k N(0,1) in 100 quantile bins vs current 50k N(μ, σ): compare with the exact W1 of the raw samples.
        var rng = new Random(11);
        var reference = TestSpecs.Normal(rng, 100_000);
        var h = DriftStatisticsTests.Histogram([.. reference.Select(v => (double)v)]);
        foreach (var (mu, sigma) in new[] { (0.1, 1.0), (0.5, 1.0), (0.0, 1.5), (1.0, 0.5) })
        {
            var current = TestSpecs.Normal(rng, 50_000, mu, sigma);
            var acc = new NumericAccumulator(h);
            acc.Add(current);
            var binned = BinnedWasserstein.Distance(h.Edges, h.Counts, h.Mass, acc.Counts, acc.Mass);
            var exact = ExactW1(reference, current);
            Assert.InRange(binned / exact, 0.98, 1.0 + 1e-9); // a lower bound, within 2%
        }
    }

    /// <summary>W1 = ∫|F − G| by merging the two sorted samples.</summary>
    private static double ExactW1(float[] a, float[] b)
    {
        var x = a.Select(v => (double)v).Order().ToArray();
        var y = b.Select(v => (double)v).Order().ToArray();
        int i = 0, j = 0;
        double w = 0, last = Math.Min(x[0], y[0]);
        while (i < x.Length || j < y.Length)
        {
            var next = j >= y.Length || (i < x.Length && x[i] <= y[j]) ? x[i] : y[j];
            w += Math.Abs((double)i / x.Length - (double)j / y.Length) * (next - last);
            last = next;
            if (j >= y.Length || (i < x.Length && x[i] <= y[j])) i++;
            else j++;
        }

        return w;
    }
}
