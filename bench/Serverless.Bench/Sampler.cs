using System.Diagnostics;

namespace Serverless.Bench;

/// <summary>Stopwatch loops bounded in both call count and wall time, after a warm-up.</summary>
internal static class Sampler
{
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(2);

    /// <summary>Per-call latencies in milliseconds, sorted.</summary>
    public static async Task<double[]> LatenciesAsync(Func<Task> call, int warmUp, int maxCalls, TimeSpan maxTime)
    {
        for (var i = 0; i < warmUp; i++) await call().ConfigureAwait(false);
        var samples = new List<double>(maxCalls);
        var deadline = Stopwatch.StartNew();
        while (samples.Count < maxCalls && deadline.Elapsed < maxTime)
        {
            var start = Stopwatch.GetTimestamp();
            await call().ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>
    /// Latencies of several variants measured in alternating blocks of <paramref name="block"/> calls, so load from
    /// other processes lands on all of them alike; each result is sorted, in the order of <paramref name="variants"/>.
    /// </summary>
    public static async Task<double[][]> InterleavedAsync(IReadOnlyList<Func<Task>> variants, int warmUp, int block, int maxCallsEach, TimeSpan maxTime)
    {
        // At least WarmUpTime in all, round robin: the JIT's tier-1 (and PGO) rewrite of the hot paths lands after
        // ~30 calls plus a 100 ms quiet period, so a count alone left some runs measuring tier-0 code.
        var warming = Stopwatch.StartNew();
        for (var round = 0; round < warmUp || warming.Elapsed < WarmUpTime; round++)
        {
            foreach (var call in variants) await call().ConfigureAwait(false);
        }

        var samples = variants.Select(_ => new List<double>()).ToArray();
        var deadline = Stopwatch.StartNew();
        while (samples[0].Count < maxCallsEach && deadline.Elapsed < maxTime)
        {
            for (var v = 0; v < variants.Count; v++)
            {
                for (var i = 0; i < block; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await variants[v]().ConfigureAwait(false);
                    samples[v].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }

        return samples.Select(s => s.Order().ToArray()).ToArray();
    }

    /// <summary>Completed calls per second with <paramref name="concurrency"/> callers sharing one call budget.</summary>
    public static async Task<double> ThroughputAsync(Func<Task> call, int concurrency, int maxCalls, TimeSpan maxTime)
    {
        var issued = 0;
        var done = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref issued) <= maxCalls && sw.Elapsed < maxTime)
            {
                await call().ConfigureAwait(false);
                Interlocked.Increment(ref done);
            }
        }))).ConfigureAwait(false);
        return done / sw.Elapsed.TotalSeconds;
    }

    public static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
