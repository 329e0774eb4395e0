using System.Diagnostics;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring;
using Serverless.Core.Specs;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Bench;

/// <summary>DriftWindow accumulation + DriftDetector.Evaluate on 1M rows × (10 numeric + 3 categorical), one thread.</summary>
internal static class DriftBench
{
    private const int Rows = 1_000_000;
    private const int Batch = 10_000;
    private const double TargetRowsPerSecond = 1_000_000;
    private const int WarmUp = 2;
    private const int Runs = 7;

    public static IReadOnlyList<Measurement> Run()
    {
        var features = Enumerable.Range(0, 10).Select(i => new FeatureSpec($"x{i}", FeatureType.Numeric))
            .Concat(Enumerable.Range(0, 3).Select(i => new FeatureSpec($"c{i}", FeatureType.Categorical)))
            .ToList();
        var spec = new ModelSpec { Task = ModelTask.Regression, Label = "y", Features = features };

        Console.WriteLine($"Building references and {Rows:N0} current rows (in {Batch:N0}-row batches)...");
        var cases = new[]
        {
            ("large reference (100k rows: Wasserstein / JS)", ReferenceProfile.Build(spec, Data(1, 100_000, 0), (DataColumn?)null)),
            ("small reference (1k rows: exact KS / chi-square)", ReferenceProfile.Build(spec, Data(2, 1_000, 0), (DataColumn?)null)),
        };
        var batches = Enumerable.Range(0, Rows / Batch).Select(b => Data(100 + b, Batch, 0.05)).ToList();

        Console.WriteLine();
        Console.WriteLine($"| {"case",-50} | {"median s",9} | {"rows/s",12} | {"vs 1M rows/s",12} | {"drifted",7} |");
        Console.WriteLine($"|{new string('-', 52)}|{new string('-', 11)}|{new string('-', 14)}|{new string('-', 14)}|{new string('-', 9)}|");
        var results = new List<Measurement>();
        foreach (var (name, profile) in cases)
        {
            DriftReport? report = null;
            var times = new List<double>();
            for (var run = 0; run < WarmUp + Runs; run++)
            {
                var sw = Stopwatch.StartNew();
                var window = new DriftWindow(profile);
                foreach (var batch in batches) window.Add(batch);
                report = DriftDetector.Evaluate(profile, window, new DriftSpec(), DateTimeOffset.UtcNow, "bench", 1);
                sw.Stop();
                if (run >= WarmUp) times.Add(sw.Elapsed.TotalSeconds);
            }

            times.Sort();
            var median = times[times.Count / 2];
            var rate = Rows / median;
            Console.WriteLine($"| {name,-50} | {median,9:F3} | {rate,12:N0} | {rate / TargetRowsPerSecond,11:F2}x | {report!.Features.Count(f => f.Drifted),3}/{report.Features.Count,-3} |");
            results.Add(Measurement.AtLeast("drift", name, rate, " rows/s", TargetRowsPerSecond, $"{report.Features.Count(f => f.Drifted)}/{report.Features.Count} features drifted"));
        }

        Console.WriteLine();
        Console.WriteLine($"Single thread, {WarmUp} warm-up + {Runs} timed runs, median; target ≥ 1M rows/s per core; {Environment.ProcessorCount} cores visible.");
        return results;
    }

    private static TabularDataset Data(int seed, int n, double shift)
    {
        var rng = new Random(seed);
        var columns = new List<DataColumn>();
        for (var f = 0; f < 10; f++)
        {
            var values = new float[n];
            for (var i = 0; i < n; i++)
            {
                var u = 1 - rng.NextDouble();
                values[i] = (float)(f + shift + (1 + f) * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            }

            columns.Add(DataColumn.Float($"x{f}", values));
        }

        var vocabulary = Enumerable.Range(0, 40).Select(i => $"value-{i}").ToArray();
        for (var c = 0; c < 3; c++)
        {
            // Fresh string instances per row, as a parser would produce.
            columns.Add(DataColumn.Text($"c{c}", Enumerable.Range(0, n).Select(_ => new string(vocabulary[Math.Min(39, (int)(rng.NextDouble() * rng.NextDouble() * 40))].AsSpan())).ToArray()));
        }

        return new TabularDataset(columns);
    }
}
