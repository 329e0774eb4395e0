using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;
using Serverless.Core.Training;

namespace Serverless.Bench;

/// <summary>
/// Dynamic batching in process: 64 closed-loop callers sending single-row requests through
/// <see cref="BatchingScorer"/>, batching off vs on, same model and machine in one run.
/// </summary>
internal static class BatchingBench
{
    private const int Concurrency = 64;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync()
    {
        var spec = Spec();
        Console.WriteLine("Training LightGBM (100 trees, 10 numeric + 2 categorical) on 20,000 rows...");
        var onnx = new ModelTrainer().Train(spec, Data(spec, 20_000, seed: 1, withLabel: true)).Onnx;
        var model = new LoadedModel(Card(spec), new OnnxModel(onnx));
        var requests = Enumerable.Range(0, Concurrency).Select(i => Data(spec, 1, seed: 100 + i, withLabel: false)).ToArray();

        // Predict never touches storage: the server needs a registry only to be constructed.
        var storage = new PlatformStorage(new BlobServiceClient("UseDevelopmentStorage=true"));
        using var server = new ModelServer(new ModelRegistry(storage, TimeProvider.System), storage, TimeProvider.System, Options.Create(new ScoringOptions()));

        var results = new List<(string Name, Result R)>();
        foreach (var batching in new[] { false, true })
        {
            var options = new ScoringOptions { BatchingEnabled = batching };
            using var scorer = new BatchingScorer(server, TimeProvider.System, Options.Create(options));
            var name = batching ? $"batching on (≤{options.BatchMaxRows} rows, ≤{options.BatchMaxWait.TotalMilliseconds} ms)" : "batching off";
            Console.WriteLine($"Running {name}: {Concurrency} callers, {WarmUp.TotalSeconds} s warm-up + {Measure.TotalSeconds} s...");
            results.Add((name, await LoadAsync(scorer, model, requests)));
        }

        Console.WriteLine();
        Console.WriteLine($"| {"mode",-40} | {"req/s",10} | {"p50 ms",7} | {"p99 ms",7} | {"rows/run",8} |");
        Console.WriteLine($"|{new string('-', 42)}|{new string('-', 12)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 10)}|");
        foreach (var (name, r) in results)
        {
            Console.WriteLine($"| {name,-40} | {r.RequestsPerSecond,10:N0} | {r.P50,7:F3} | {r.P99,7:F3} | {r.RowsPerRun,8:F1} |");
        }

        var (off, on) = (results[0].R, results[1].R);
        Console.WriteLine();
        Console.WriteLine($"on/off: throughput {on.RequestsPerSecond / off.RequestsPerSecond:F2}x, p99 {on.P99 / off.P99:F2}x; " +
            $"single-row requests, concurrency {Concurrency}, {Environment.ProcessorCount} cores, ONNX Runtime CPU provider.");
        return 0;
    }

    private sealed record Result(double RequestsPerSecond, double P50, double P99, double RowsPerRun);

    // Each request yields first, so its latency includes waiting for a thread, as an HTTP request would.
    private static async Task<Result> LoadAsync(BatchingScorer scorer, LoadedModel model, TabularDataset[] requests)
    {
        long runs = 0, rows = 0;
        var measuring = false;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i, PlatformTelemetry.BatchRows)) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<int>((_, n, _, _) =>
        {
            if (!Volatile.Read(ref measuring)) return;
            Interlocked.Increment(ref runs);
            Interlocked.Add(ref rows, n);
        });
        listener.Start();

        var latencies = new List<double>[Concurrency];
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(WarmUp.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(Measure.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, Concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(200_000);
            while (true)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= end) return;
                if (t0 >= measureFrom) Volatile.Write(ref measuring, true);
                await Task.Yield();
                await scorer.PredictAsync(model, requests[w], CancellationToken.None);
                if (t0 >= measureFrom) mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length / Measure.TotalSeconds, all[all.Length / 2], all[(int)(all.Length * 0.99)], runs == 0 ? 1 : (double)rows / runs); // off: one run per request
    }

    private static ModelSpec Spec() => new()
    {
        Task = ModelTask.Binary,
        Label = "y",
        Features =
        [
            .. Enumerable.Range(0, 10).Select(i => new FeatureSpec($"x{i}", FeatureType.Numeric)),
            new FeatureSpec("c0", FeatureType.Categorical, Nullable: true, Categories: ["a", "b", "c", "d"], UnknownCategory: UnknownCategoryPolicy.Allow),
            new FeatureSpec("c1", FeatureType.Categorical, Nullable: true, Categories: ["p", "q", "r"], UnknownCategory: UnknownCategoryPolicy.Allow),
        ],
        Trainer = new TrainerSpec(TrainerKind.LightGbm, null, new Dictionary<string, double> { ["numberOfTrees"] = 100, ["numberOfLeaves"] = 31 }),
    };

    private static TabularDataset Data(ModelSpec spec, int n, int seed, bool withLabel)
    {
        var rng = new Random(seed);
        var columns = new List<DataColumn>();
        var z = new double[n];
        foreach (var f in spec.Features)
        {
            if (f.Type == FeatureType.Categorical)
            {
                var values = new string?[n];
                for (var i = 0; i < n; i++)
                {
                    values[i] = f.Categories![rng.Next(f.Categories.Count)];
                    z[i] += values[i] == f.Categories[0] ? 0.5 : 0;
                }

                columns.Add(DataColumn.Text(f.Name, values));
            }
            else
            {
                var values = new float[n];
                for (var i = 0; i < n; i++)
                {
                    values[i] = (float)((rng.NextDouble() * 2) - 1);
                    z[i] += values[i] * (f.Name == "x0" ? 2 : 0.3);
                }

                columns.Add(DataColumn.Float(f.Name, values));
            }
        }

        if (withLabel) columns.Add(DataColumn.Float("y", z.Select(v => v + ((rng.NextDouble() - 0.5) * 0.5) > 0 ? 1f : 0f).ToArray()));
        return new TabularDataset(columns);
    }

    private static ModelCard Card(ModelSpec spec) => new()
    {
        Model = "bench",
        Version = 1,
        RunId = "bench",
        CreatedAt = DateTimeOffset.UtcNow,
        Task = spec.Task,
        Inputs = spec.Features,
        Trainer = TrainerKind.LightGbm,
        TrainerParameters = new Dictionary<string, string>(),
        Metrics = new Dictionary<string, double>(),
        Gate = new GateReport(true, [], new Dictionary<string, double>(), null, null, null),
        DatasetSha256 = new string('0', 64),
        SpecSha256 = new string('0', 64),
        PlatformVersion = "bench",
    };
}
