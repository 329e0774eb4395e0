using Serverless.Core.Releases;
using Serverless.Core.Scoring;

namespace Serverless.Core.Tests.Releases;

public sealed class TrafficRoutingTests
{
    [Fact]
    public void The_same_key_always_lands_in_the_same_bucket()
    {
        foreach (var key in new[] { "customer-1", "", "ü-ñ-日本", new string('k', 1000) })
        {
            Assert.Equal(TrafficRouting.Bucket(key), TrafficRouting.Bucket(key));
            Assert.InRange(TrafficRouting.Bucket(key), 0, TrafficRouting.Buckets - 1);
        }

        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c: a fixed function, not one seeded per process.
        Assert.Equal((int)(0xaf63dc4c8601ec8cUL % TrafficRouting.Buckets), TrafficRouting.Bucket("a"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(90)]
    public void The_candidate_gets_its_share_of_many_keys_within_a_binomial_tolerance(int percent)
    {
        const int keys = 20_000;
        var toCandidate = Enumerable.Range(0, keys).Count(i => TrafficRouting.ToCandidate($"customer-{i}", percent));
        var expected = keys * percent / 100.0;
        var sd = Math.Sqrt(keys * (percent / 100.0) * (1 - (percent / 100.0)));
        Assert.InRange(toCandidate, expected - (5 * sd), expected + (5 * sd));
    }

    [Fact]
    public void A_larger_share_keeps_every_key_the_smaller_share_sent_to_the_candidate()
    {
        var keys = Enumerable.Range(0, 5_000).Select(i => $"k{i}").ToList();
        var at10 = keys.Where(k => TrafficRouting.ToCandidate(k, 10)).ToHashSet();
        var at50 = keys.Where(k => TrafficRouting.ToCandidate(k, 50)).ToHashSet();
        Assert.Subset(at50, at10);
        Assert.DoesNotContain(keys, k => TrafficRouting.ToCandidate(k, 0));
        Assert.Equal(keys.Count, keys.Count(k => TrafficRouting.ToCandidate(k, 100)));
    }

    [Fact]
    public void Latency_quantiles_are_read_from_the_buckets_to_within_ten_percent()
    {
        var counts = new long[LatencyHistogram.Buckets];
        for (var ms = 1; ms <= 100; ms++) counts[LatencyHistogram.BucketOf(ms)]++;
        var p99 = LatencyHistogram.Quantile(counts, 0.99)!.Value;
        Assert.InRange(p99, 99, 99 * 1.1);
        Assert.Null(LatencyHistogram.Quantile(new long[LatencyHistogram.Buckets], 0.99));
        Assert.Equal(LatencyHistogram.Buckets - 1, LatencyHistogram.BucketOf(1e12));
    }

    [Fact]
    public void Prediction_drift_is_the_two_sample_kolmogorov_smirnov_d()
    {
        List<float> a = [.. Enumerable.Range(0, 100).Select(i => (float)i)];
        Assert.Equal(0, GuardrailEvaluator.KolmogorovSmirnovD(a, a), 1e-12);
        List<float> shifted = [.. a.Select(v => v + 50)];
        // scipy.stats.ks_2samp(range(100), range(50, 150)).statistic == 0.5
        Assert.Equal(0.5, GuardrailEvaluator.KolmogorovSmirnovD(a, shifted), 1e-9);
    }
}
