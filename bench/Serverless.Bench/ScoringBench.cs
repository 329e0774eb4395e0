using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.App.Http;

namespace Serverless.Bench;

/// <summary>
/// Scoring the pipeline-trained churn champion three ways — raw ORT <c>Run</c>, the platform's in-process path,
/// and HTTP on loopback to the real host — single row, concurrent, and in 1k/10k-row batches.
/// </summary>
internal static class ScoringBench
{
    private const string Area = "scoring";

    /// <summary>The mode that runs only <see cref="RunHttpAsync"/>.</summary>
    public const string HttpMode = "scoring-http";
    private const int WarmUp = 300;
    private const int MaxCalls = 20_000;
    private const int Block = 100;
    private const int LogRounds = 8;
    private static readonly TimeSpan SingleRowTime = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan LogTime = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan LoopTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ThroughputTime = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan BatchTime = TimeSpan.FromSeconds(10);

    public static async Task<IReadOnlyList<Measurement>> RunAsync(BenchPlatform platform, ChurnData data)
    {
        var model = await platform.ChurnChampionAsync(data);
        var services = platform.Services.GetRequiredService<ScoringApiServices>();
        var server = platform.Services.GetRequiredService<ModelServer>();
        var champion = (await server.GetChampionAsync(model, CancellationToken.None))!;
        var onnx = await platform.Services.GetRequiredService<ModelRegistry>().GetModelAsync(model, champion.Card.Version, CancellationToken.None);
        using var raw = new RawOrtScorer(onnx);
        var handler = new InProcessPredict(services, model);
        var results = new List<Measurement>();

        // Single rows cycle through 1,000 real rows so categorical strings and missing values vary.
        var pool = Enumerable.Range(0, 1000).Select(i => data.Data.Select([i])).ToArray();
        var rawInputs = pool.Select(raw.Inputs).ToArray();
        var bodies = pool.Select(r => RequestBodies.For(r, champion.Card.Inputs)).ToArray();
        CheckParity(raw, rawInputs[0], await handler.CallAsync(bodies[0]));
        Console.WriteLine($"Scoring {model} v{champion.Card.Version} ({champion.Card.Inputs.Count} inputs); single row...");

        var next = 0;
        await SetSampleRateAsync(platform, server, model, data.SpecJson, 0);
        var single = await Sampler.InterleavedAsync(
            [
                Sync(() => raw.Run(rawInputs[next++ % pool.Length])),
                Sync(() => champion.Onnx.Predict(pool[next++ % pool.Length])),
                Sync(() => server.Predict(champion, pool[next++ % pool.Length])),
                Sync(() => Parse(champion, bodies[next++ % pool.Length])),
                Sync(() => server.Predict(champion, Parse(champion, bodies[next++ % pool.Length]))),
                () => handler.CallAsync(bodies[next++ % pool.Length]),
            ],
            WarmUp, Block, MaxCalls, SingleRowTime);
        var (rawSingle, onnxSingle, serverSingle, parseSingle, parserSingle, handlerSingle) = (single[0], single[1], single[2], single[3], single[4], single[5]);

        // Log on and off alternate in rounds, so background load (the log writer's flushes, other processes) hits both.
        var logOn = new List<double>();
        var logOff = new List<double>();
        for (var round = 0; round < LogRounds; round++)
        {
            foreach (var (rate, samples) in new[] { (1.0, logOn), (0.0, logOff) })
            {
                await SetSampleRateAsync(platform, server, model, data.SpecJson, rate);
                samples.AddRange(await Sampler.LatenciesAsync(() => handler.CallAsync(bodies[next++ % pool.Length]), WarmUp, MaxCalls / LogRounds, LogTime / LogRounds));
            }
        }

        var handlerOn = logOn.Order().ToArray();
        var handlerOff = logOff.Order().ToArray();
        var http = await Sampler.LatenciesAsync(() => PostAsync(platform.Http, model, bodies[next++ % pool.Length]), WarmUp, MaxCalls, LoopTime);

        var allocated = await AllocatedPerCallAsync(() => handler.CallAsync(bodies[next++ % pool.Length]), 5_000);
        var rawP50 = Sampler.Percentile(rawSingle, 0.5);
        results.Add(Latency("single row, raw ORT Run (tensors ready)", rawSingle));
        results.Add(Latency("single row, OnnxModel.Predict (columns ready)", onnxSingle));
        results.Add(Latency("single row, ModelServer.Predict (columns ready)", serverSingle));
        results.Add(Latency("single row, JSON parse + PredictionRequestParser", parseSingle));
        results.Add(Latency("single row, parser + ModelServer.Predict", parserSingle));
        results.Add(Latency("single row, in-process handler (log off)", handlerSingle));
        results.Add(Latency("single row, in-process handler, log rounds: on", handlerOn));
        results.Add(Latency("single row, in-process handler, log rounds: off", handlerOff));
        results.Add(new Measurement(Area, "single row p50, parser + ModelServer ÷ raw ORT", Sampler.Percentile(parserSingle, 0.5) / rawP50, "×"));
        results.Add(Measurement.AtMost(Area, "single row p50, in-process handler (log off) ÷ raw ORT", Sampler.Percentile(handlerSingle, 0.5) / rawP50, "×", 1.3));
        results.Add(Measurement.AtMost(Area, "single row p50, log on ÷ log off (sampleRate 1 vs 0)", Sampler.Percentile(handlerOn, 0.5) / Sampler.Percentile(handlerOff, 0.5), "×", 1.1, $"{LogRounds} alternating rounds each"));
        results.Add(new Measurement(Area, "single row, bytes allocated per in-process handler call", allocated, " B", Note: "5,000 sequential calls, log off; the host's background loops included; what drives gen0 GCs under load"));
        results.Add(Measurement.AtMost(Area, "single row p50, HTTP loopback", Sampler.Percentile(http, 0.5), " ms", 0.5));
        results.Add(new Measurement(Area, "single row p99, HTTP loopback", Sampler.Percentile(http, 0.99), " ms", Note: $"n={http.Length}"));
        results.Add(new Measurement(Area, "single row p50, HTTP ÷ raw ORT", Sampler.Percentile(http, 0.5) / rawP50, "×"));

        Console.WriteLine("Scoring: HTTP throughput...");
        foreach (var concurrency in new[] { 1, 8, 64 })
        {
            var rate = await Sampler.ThroughputAsync(() => PostAsync(platform.Http, model, bodies[(Interlocked.Increment(ref next) & int.MaxValue) % pool.Length]), concurrency, MaxCalls, ThroughputTime);
            var metric = $"HTTP req/s, concurrency {concurrency}";
            results.Add(concurrency == 1
                ? new Measurement(Area, metric, rate, " req/s", Note: "sequential: bounded by the p50 above")
                : Measurement.AtLeast(Area, metric, rate, " req/s", 5000, "client shares the 2 cores"));
        }

        results.AddRange(await HttpLimitBench.RunAsync(platform, model, bodies[0], rawP50));

        // The same concurrency with every request logged: the log writer's Parquet flushes share the cores.
        await SetSampleRateAsync(platform, server, model, data.SpecJson, 1);
        var logged = await Sampler.ThroughputAsync(() => PostAsync(platform.Http, model, bodies[(Interlocked.Increment(ref next) & int.MaxValue) % pool.Length]), 8, MaxCalls, ThroughputTime);
        results.Add(new Measurement(Area, "HTTP req/s, concurrency 8, log on", logged, " req/s", Note: "the rows above run with sampleRate 0"));
        await SetSampleRateAsync(platform, server, model, data.SpecJson, 0);

        Console.WriteLine("Scoring: batches...");
        foreach (var size in new[] { 1_000, 10_000 })
        {
            var rows = data.Data.Select(Enumerable.Range(0, size).ToList());
            using var disposer = new InputsDisposer(raw.Inputs(rows));
            var body = RequestBodies.For(rows, champion.Card.Inputs);
            var batch = await Sampler.InterleavedAsync(
                [
                    Sync(() => raw.Run(disposer.Inputs)),
                    Sync(() => RunWithFreshTensors(raw, rows)),
                    Sync(() => server.Predict(champion, rows)),
                    () => handler.CallAsync(body),
                    () => PostAsync(platform.Http, model, body),
                    Sync(() => Parse(champion, body)),
                ],
                2, 1, size == 1_000 ? 100 : 20, BatchTime);
            var (rawBatch, rawBuildBatch, serverBatch, handlerBatch, httpBatch, parseBatch) = (Rate(batch[0]), Rate(batch[1]), Rate(batch[2]), Rate(batch[3]), Rate(batch[4]), Rate(batch[5]));
            double Rate(double[] sorted) => size / Sampler.Median(sorted) * 1000;
            results.Add(new Measurement(Area, $"batch {size:N0}, raw ORT Run (tensors ready)", rawBatch, " rows/s"));
            results.Add(new Measurement(Area, $"batch {size:N0}, raw ORT Run + building its tensors", rawBuildBatch, " rows/s"));
            results.Add(new Measurement(Area, $"batch {size:N0}, ModelServer.Predict (columns ready)", serverBatch, " rows/s"));
            results.Add(new Measurement(Area, $"batch {size:N0}, in-process handler (JSON, log off)", handlerBatch, " rows/s"));
            results.Add(new Measurement(Area, $"batch {size:N0}, HTTP loopback", httpBatch, " rows/s"));
            results.Add(new Measurement(Area, $"batch {size:N0}, request parse alone (one pass)", parseBatch, " rows/s", Note: $"{Measurement.Format(1e6 / parseBatch)} µs per row, {Measurement.Format(body.Length / (double)size)} bytes per row, one thread"));
            results.Add(Measurement.AtLeast(Area, $"batch {size:N0}, ModelServer.Predict ÷ raw ORT", serverBatch / rawBatch, "×", 0.9));
            results.Add(Measurement.AtLeast(Area, $"batch {size:N0}, in-process handler ÷ raw ORT", handlerBatch / rawBatch, "×", 0.9, "includes JSON parsing"));
        }

        results.Add(new Measurement(Area, "prediction id per row (PredictionIds.New)", IdCost(), " µs", Note: "part of ModelServer.Predict's per-row cost"));
        await SetSampleRateAsync(platform, server, model, data.SpecJson, 1);
        results.AddRange(await MemoryUnderLoadBench.RunAsync(platform, model, bodies[0]));
        foreach (var v in rawInputs.SelectMany(i => i)) v.Dispose();
        return results;
    }

    /// <summary>Only the HTTP limit and memory-under-load rows (raw ORT's single-row p50 measured alone for the limit).</summary>
    public static async Task<IReadOnlyList<Measurement>> RunHttpAsync(BenchPlatform platform, ChurnData data)
    {
        var model = await platform.ChurnChampionAsync(data);
        var server = platform.Services.GetRequiredService<ModelServer>();
        var champion = (await server.GetChampionAsync(model, CancellationToken.None))!;
        var onnx = await platform.Services.GetRequiredService<ModelRegistry>().GetModelAsync(model, champion.Card.Version, CancellationToken.None);
        using var raw = new RawOrtScorer(onnx);
        var row = data.Data.Select([0]);
        var inputs = raw.Inputs(row);
        var body = RequestBodies.For(row, champion.Card.Inputs);
        var rawSingle = await Sampler.LatenciesAsync(Sync(() => raw.Run(inputs)), WarmUp, MaxCalls, LoopTime);
        foreach (var v in inputs) v.Dispose();
        var results = new List<Measurement> { Latency("single row, raw ORT Run (tensors ready)", rawSingle) };
        await SetSampleRateAsync(platform, server, model, data.SpecJson, 0);
        results.AddRange(await HttpLimitBench.RunAsync(platform, model, body, Sampler.Percentile(rawSingle, 0.5)));
        await SetSampleRateAsync(platform, server, model, data.SpecJson, 1);
        results.AddRange(await MemoryUnderLoadBench.RunAsync(platform, model, body));
        return results;
    }

    private static async Task<double> AllocatedPerCallAsync(Func<Task> call, int calls)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < calls; i++) await call();
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
    }

    private static Measurement Latency(string metric, double[] sorted) =>
        new(Area, metric + " p50 / p99", Sampler.Percentile(sorted, 0.5) * 1000, " µs", Note: $"p99 {Measurement.Format(Sampler.Percentile(sorted, 0.99) * 1000)} µs, n={sorted.Length}");

    // ModelServer gives every row a UUID v7 id: its cost per row, median of 5 × 100k.
    private static double IdCost()
    {
        var times = new List<double>();
        for (var run = 0; run < 6; run++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 100_000; i++) PredictionIds.New(DateTimeOffset.UtcNow);
            if (run > 0) times.Add(sw.Elapsed.TotalMicroseconds / 100_000);
        }

        return Sampler.Median(times);
    }

    private static Func<Task> Sync(Action call) => () =>
    {
        call();
        return Task.CompletedTask;
    };

    private static TabularDataset Parse(LoadedModel champion, byte[] body)
    {
        var errors = new List<FieldError>();
        // The host's default row limit: it also caps how large the columns are sized before the rows are counted.
        return PredictionRequestParser.Parse(body, PredictionRequestParser.Locate(body), champion.RequestSchema, new ScoringOptions().MaxRows, errors).Table
            ?? throw new InvalidOperationException(errors[0].Message);
    }

    private static async Task PostAsync(HttpClient http, string model, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await http.PostAsync($"/api/models/{model}/predict", content);
        await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"predict: {(int)response.StatusCode}");
    }

    private static float RunWithFreshTensors(RawOrtScorer raw, TabularDataset rows)
    {
        using var inputs = new InputsDisposer(raw.Inputs(rows));
        return raw.Run(inputs.Inputs);
    }

    /// <summary>Stores the spec with <c>monitoring.sampleRate</c> and makes the server re-read it now.</summary>
    private static async Task SetSampleRateAsync(BenchPlatform platform, ModelServer server, string model, string specJson, double rate)
    {
        var spec = JsonNode.Parse(specJson)!.AsObject();
        spec["monitoring"] = new JsonObject { ["sampleRate"] = rate };
        await platform.PutSpecAsync(model, spec.ToJsonString());
        server.InvalidateChampion(model);
        await server.GetChampionAsync(model, CancellationToken.None);
        if (server.MonitoringFor(model).SampleRate != rate) throw new InvalidOperationException("The sample rate did not apply.");
    }

    private static void CheckParity(RawOrtScorer raw, Microsoft.ML.OnnxRuntime.OrtValue[] inputs, PredictResponse platform)
    {
        var delta = Math.Abs(raw.Run(inputs) - platform.Predictions[0].Score!.Value);
        if (delta > 1e-5) throw new InvalidOperationException($"Raw ORT and the platform disagree by {delta}.");
    }

    /// <summary>Disposes batch tensors after use.</summary>
    private sealed class InputsDisposer(Microsoft.ML.OnnxRuntime.OrtValue[] inputs) : IDisposable
    {
        public Microsoft.ML.OnnxRuntime.OrtValue[] Inputs { get; } = inputs;

        public void Dispose()
        {
            foreach (var v in Inputs) v.Dispose();
        }
    }
}
