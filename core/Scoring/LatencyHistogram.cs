namespace Serverless.Core.Scoring;

/// <summary>
/// Log-spaced latency buckets (each 10 % wider than the one before, from 10 µs to about 30 min) that add across hosts,
/// so a p99 over every host's requests is read from the sum of their counts (to within one bucket, 10 %).
/// </summary>
public static class LatencyHistogram
{
    public const int Buckets = 200;

    private const double FirstUpperMs = 0.01;
    private static readonly double LogGrowth = Math.Log(1.1);

    public static int BucketOf(double ms) =>
        ms <= FirstUpperMs ? 0 : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log(ms / FirstUpperMs) / LogGrowth));

    /// <summary>The upper edge of <paramref name="bucket"/> in milliseconds.</summary>
    public static double UpperMs(int bucket) => FirstUpperMs * Math.Exp(bucket * LogGrowth);

    /// <summary>The upper edge of the bucket holding the <paramref name="quantile"/> of <paramref name="counts"/>; null when empty.</summary>
    public static double? Quantile(IReadOnlyList<long> counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var b = 0; b < counts.Count; b++)
        {
            seen += counts[b];
            if (seen >= Math.Max(1, rank)) return UpperMs(b);
        }

        return UpperMs(counts.Count - 1);
    }
}
