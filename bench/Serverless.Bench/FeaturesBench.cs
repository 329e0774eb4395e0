using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.FeatureStore;
using Serverless.Core.Specs;
using Serverless.Tests.Shared;

namespace Serverless.Bench;

/// <summary>
/// The feature store: the point-in-time join (label rows × 3 views, time and peak RSS) and the online lookup a
/// predict request adds for 3 views on Azurite loopback, cache miss and hit reported apart (goal: hit p50 ≤ 1 ms).
/// </summary>
internal static class FeaturesBench
{
    public const string Area = "features";

    private const int Lookups = 400;
    private const int OnlineEntities = 2_000;

    public static async Task<IReadOnlyList<Measurement>> RunAsync(string[] args)
    {
        var labelRows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        var results = new List<Measurement>();
        results.AddRange(Join(labelRows));
        results.AddRange(await OnlineAsync());
        return results;
    }

    private static IEnumerable<Measurement> Join(int labelRows)
    {
        var entities = Math.Max(1, labelRows / 10);
        var views = Enumerable.Range(0, 3).Select(v => View($"v{v}")).ToList();
        var viewRows = Math.Max(1, labelRows / 10);
        Console.WriteLine($"Building {labelRows:N0} label rows and 3 views of {viewRows:N0} rows over {entities:N0} entities...");
        var random = new Random(1);
        var labels = new TabularDataset(
        [
            DataColumn.Text("id", [.. Enumerable.Range(0, labelRows).Select(_ => "e" + random.Next(entities).ToString(CultureInfo.InvariantCulture))]),
            DataColumn.Text(FeatureViewReference.EventTimestampColumn, [.. Enumerable.Range(0, labelRows).Select(_ => Time(random.Next(0, 100_000)))]),
            DataColumn.Float("y", new float[labelRows]),
        ]);
        var sources = views.Select(v => new ViewSource(v, v.Features, new TabularDataset(
        [
            DataColumn.Text("id", [.. Enumerable.Range(0, viewRows).Select(_ => "e" + random.Next(entities).ToString(CultureInfo.InvariantCulture))]),
            DataColumn.Text("ts", [.. Enumerable.Range(0, viewRows).Select(_ => Time(random.Next(0, 100_000)))]),
            DataColumn.Float(v.Features[0].Name, [.. Enumerable.Range(0, viewRows).Select(_ => (float)random.NextDouble())]),
        ]))).ToList();
        GC.Collect();
        var before = ProcessMemory.CurrentBytes;
        if (ProcessMemory.Supported) ProcessMemory.ResetPeak();
        var sw = Stopwatch.StartNew();
        var joined = TrainingSetBuilder.Build(labels, sources);
        sw.Stop();
        var peak = ProcessMemory.PeakBytes;
        var matched = joined["x_v0"].FloatValues.Count(x => !float.IsNaN(x));
        Console.WriteLine($"Join: {sw.Elapsed.TotalSeconds:F2} s, peak RSS {peak / 1e9:F2} GB ({(peak - before) / 1e9:F2} GB over the inputs), {matched:N0} rows matched in view 0.");
        yield return new Measurement(Area, $"PIT join {labelRows:N0} label rows × 3 views of {viewRows:N0}", sw.Elapsed.TotalSeconds, " s", null, null, $"{labelRows / sw.Elapsed.TotalSeconds:N0} label rows/s");
        yield return new Measurement(Area, $"PIT join peak RSS ({labelRows:N0} rows, inputs in memory)", peak / 1e9, " GB", null, null, $"{(peak - before) / 1e9:F2} GB over the inputs");
    }

    private static async Task<IEnumerable<Measurement>> OnlineAsync()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var store = new OnlineFeatureStore(new TableServiceClient(azurite.ConnectionString));
        var views = Enumerable.Range(0, 3).Select(v => RegisteredFeatureView.Of(View($"online{v}"), "bench")).ToList();
        var now = DateTimeOffset.UtcNow;
        foreach (var view in views)
        {
            await store.WriteAsync(view, [.. Enumerable.Range(0, OnlineEntities).Select(i => new OnlineFeatureRow($"c{i}", now, [(double)i]))], CancellationToken.None);
        }

        var results = new List<Measurement>();

        // Baselines in the same run: one bare point read (the loopback round trip a miss cannot beat), and the
        // previous lookup's shape, a $filter query per view, for 3 views in parallel.
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(OnlineFeatureStore.TableName);
        var partitions = views.Select(OnlineFeatureStore.Partition).ToArray();
        var point = await TimeAsync(key => table.GetEntityAsync<TableEntity>(partitions[0], key));
        Report(results, "one point read, 1 view (loopback floor)", point, null);
        var query = await TimeAsync(key => Task.WhenAll(partitions.Select(async p =>
        {
            await foreach (var _ in table.QueryAsync<TableEntity>($"PartitionKey eq '{p}' and (RowKey eq '{key}')")) { }
        })));
        Report(results, "3 views, $filter query per view (previous miss path)", query, null);

        foreach (var (name, ttl) in new[] { ("miss (point read per view, in parallel)", TimeSpan.Zero), ("hit (in-process cache)", TimeSpan.FromHours(1)) })
        {
            var reader = new OnlineFeatureReader(store, Options.Create(new FeatureStoreOptions { OnlineCacheTtl = ttl }), TimeProvider.System);
            var random = new Random(2);
            var keys = Enumerable.Range(0, Lookups).Select(_ => $"c{random.Next(ttl == TimeSpan.Zero ? OnlineEntities : 50)}").ToList();
            foreach (var key in keys.Take(50)) await reader.ReadAsync(views, [[key], [key], [key]], CancellationToken.None);
            var times = new List<double>();
            foreach (var key in keys)
            {
                var sw = Stopwatch.StartNew();
                var rows = await reader.ReadAsync(views, [[key], [key], [key]], CancellationToken.None);
                times.Add(sw.Elapsed.TotalMilliseconds);
                if (rows[2][key] is null) throw new InvalidOperationException($"No online row for {key}.");
            }

            Report(results, $"3 views, {name}", times, 1);
        }

        return results;
    }

    private static async Task<List<double>> TimeAsync(Func<string, Task> lookup)
    {
        var random = new Random(3);
        var keys = Enumerable.Range(0, Lookups).Select(_ => $"c{random.Next(OnlineEntities)}").ToList();
        foreach (var key in keys.Take(50)) await lookup(key);
        var times = new List<double>();
        foreach (var key in keys)
        {
            var sw = Stopwatch.StartNew();
            await lookup(key);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static void Report(List<Measurement> results, string name, List<double> times, double? goal)
    {
        times.Sort();
        var (p50, p99) = (times[times.Count / 2], times[(int)(times.Count * 0.99)]);
        Console.WriteLine($"Online lookup, {name}: p50 {p50:F3} ms, p99 {p99:F3} ms over {times.Count} requests.");
        results.Add(goal is { } g ? Measurement.AtMost(Area, $"online lookup {name}, p50", p50, " ms", g) : new Measurement(Area, $"online lookup {name}, p50", p50, " ms"));
        results.Add(new Measurement(Area, $"online lookup {name}, p99", p99, " ms"));
    }

    private static FeatureView View(string name) => new()
    {
        Name = name, Entities = ["id"], Owner = "bench", Source = new("bench", "ts"), Ttl = TimeSpan.FromDays(3650),
        Features = [new($"x_{name}", FeatureType.Numeric)],
    };

    private static string Time(int seconds) => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds).ToString("O", CultureInfo.InvariantCulture);
}
