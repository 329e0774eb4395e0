using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Datasets;
using Serverless.Core.FeatureStore;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.FeatureStore;

/// <summary>Materialization, writes and lookups against Azure Table Storage on real Azurite, and online/offline parity.</summary>
public sealed class OnlineStoreTests
{
    private static readonly DateTimeOffset Origin = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record Setup(PlatformStorage Storage, OnlineFeatureStore Online, RegisteredFeatureView View, FeatureViewCatalog Catalog, FakeTimeProvider Time, FeatureMaterializer Materializer);

    private static async Task<Setup> SetUpAsync(TabularDataset source, TimeSpan ttl)
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(CancellationToken.None);
        var dataset = Azurite.UniqueModel("online");
        var name = "v" + Guid.NewGuid().ToString("N")[..12];
        var catalog = FeatureViewCatalog.FromFiles([($"{name}.json", $$"""
            {
              "name": "{{name}}", "entities": ["id"], "owner": "o", "ttl": "{{ttl:c}}",
              "features": [{ "name": "x", "type": "numeric" }, { "name": "c", "type": "categorical" }],
              "source": { "dataset": "{{dataset}}", "timestampColumn": "ts" }
            }
            """)]);
        await DatasetVersions.WriteAsync(
            storage, new DatasetManifest(dataset, new string('a', 64), source.RowCount, [], "s.csv", Origin, 0, "x"), await DatasetVersions.ToParquetAsync(source, CancellationToken.None), CancellationToken.None);
        var online = new OnlineFeatureStore(new TableServiceClient(Azurite.ConnectionString));
        var time = new FakeTimeProvider(Origin);
        var materializer = new FeatureMaterializer(catalog, new FeatureSourceReader(storage, new FeatureViewFreshnessReader(storage, time)), online, time);
        return new(storage, online, catalog.All.Single(), catalog, time, materializer);
    }

    private static string Time(int minutes) => Origin.AddMinutes(minutes).ToString("O", CultureInfo.InvariantCulture);

    private static TabularDataset Source(string[] keys, int[] minutes) => new(
    [
        DataColumn.Text("id", keys),
        DataColumn.Text("ts", [.. minutes.Select(Time)]),
        DataColumn.Float("x", [.. Enumerable.Range(0, keys.Length).Select(i => (float)i)]),
        DataColumn.Text("c", [.. Enumerable.Range(0, keys.Length).Select(i => $"r{i}")]),
    ]);

    [Fact]
    public async Task Materialization_is_incremental_by_watermark_and_keeps_the_latest_value_per_entity()
    {
        // Rows 0..4: a at 10 and 30, b at 20 and 20 (the later row wins), c at 50.
        var s = await SetUpAsync(Source(["a", "a", "b", "b", "c"], [10, 30, 20, 20, 50]), TimeSpan.FromDays(1));

        var first = await s.Materializer.MaterializeAsync(s.View, Origin.AddMinutes(25), CancellationToken.None);
        Assert.Equal((3, 2, (DateTimeOffset?)null), (first.RowsInWindow, first.EntitiesWritten, first.PreviousWatermark));
        var rows = await s.Online.ReadAsync(s.View, ["a", "b", "c"], CancellationToken.None);
        Assert.Equal([0.0, 3.0], new[] { (double)rows["a"].Values[0]!, (double)rows["b"].Values[0]! });
        Assert.Equal("r3", rows["b"].Values[1]);
        Assert.False(rows.ContainsKey("c"));

        var second = await s.Materializer.MaterializeAsync(s.View, Origin.AddMinutes(60), CancellationToken.None);
        Assert.Equal((2, 2, Origin.AddMinutes(25)), (second.RowsInWindow, second.EntitiesWritten, second.PreviousWatermark));
        rows = await s.Online.ReadAsync(s.View, ["a", "b", "c"], CancellationToken.None);
        Assert.Equal([1.0, 3.0, 4.0], new[] { (double)rows["a"].Values[0]!, (double)rows["b"].Values[0]!, (double)rows["c"].Values[0]! });
        Assert.Equal(Origin.AddMinutes(30), rows["a"].EventTime);
        Assert.Equal(Origin.AddMinutes(60), await s.Online.ReadWatermarkAsync(s.View, CancellationToken.None));
    }

    [Fact]
    public async Task A_write_never_replaces_a_later_event_and_keys_with_reserved_characters_round_trip()
    {
        var s = await SetUpAsync(Source(["a"], [0]), TimeSpan.FromDays(1));
        string[] keys = ["k/1", "k#2?", "it's", "a\u001fb", "ü"];
        Assert.Equal(5, await s.Online.WriteAsync(s.View, [.. keys.Select(k => new OnlineFeatureRow(k, Origin.AddMinutes(10), [1.0, "new"]))], CancellationToken.None));
        Assert.Equal(0, await s.Online.WriteAsync(s.View, [.. keys.Select(k => new OnlineFeatureRow(k, Origin.AddMinutes(5), [2.0, "older"]))], CancellationToken.None));
        Assert.Equal(1, await s.Online.WriteAsync(s.View, [new OnlineFeatureRow("ü", Origin.AddMinutes(10), [3.0, null])], CancellationToken.None));
        var rows = await s.Online.ReadAsync(s.View, [.. keys, "absent"], CancellationToken.None);
        Assert.Equal(keys.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        Assert.All(keys.SkipLast(1), k => Assert.Equal("new", rows[k].Values[1]));
        Assert.Equal(new object?[] { 3.0, null }, rows["ü"].Values);
    }

    [Fact]
    public async Task A_lookup_of_more_keys_than_reads_in_flight_returns_each_stored_key_once_with_its_own_values()
    {
        var s = await SetUpAsync(Source(["a"], [0]), TimeSpan.FromDays(1));
        var stored = Enumerable.Range(0, OnlineFeatureStore.ReadsInFlight * 3).Select(i => $"e{i}").ToList();
        await s.Online.WriteAsync(s.View, [.. stored.Select((k, i) => new OnlineFeatureRow(k, Origin.AddMinutes(i), [(double)i, k]))], CancellationToken.None);
        var asked = stored.Concat(stored.Take(5)).Concat(Enumerable.Range(0, 7).Select(i => $"absent{i}")).Reverse().ToList();

        var rows = await s.Online.ReadAsync(s.View, asked, CancellationToken.None);

        Assert.Equal(stored.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        Assert.All(stored.Select((k, i) => (k, i)), e =>
        {
            Assert.Equal(new object?[] { (double)e.i, e.k }, rows[e.k].Values);
            Assert.Equal(Origin.AddMinutes(e.i), rows[e.k].EventTime);
        });
    }

    [Fact]
    public async Task Concurrent_writers_of_one_entity_leave_the_latest_event()
    {
        var s = await SetUpAsync(Source(["a"], [0]), TimeSpan.FromDays(1));
        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => s.Online.WriteAsync(s.View, [new OnlineFeatureRow("e", Origin.AddMinutes(i), [(double)i, null])], CancellationToken.None)));
        var row = (await s.Online.ReadAsync(s.View, ["e"], CancellationToken.None))["e"];
        Assert.Equal(Origin.AddMinutes(8), row.EventTime);
        Assert.Equal(8.0, row.Values[0]);
    }

    [Fact]
    public async Task The_reader_caches_hits_and_misses_for_its_ttl_and_hides_values_older_than_the_view_ttl()
    {
        var s = await SetUpAsync(Source(["a"], [0]), TimeSpan.FromMinutes(30));
        var reader = new OnlineFeatureReader(s.Online, Options.Create(new FeatureStoreOptions { OnlineCacheTtl = TimeSpan.FromSeconds(5) }), s.Time);
        await s.Online.WriteAsync(s.View, [new OnlineFeatureRow("a", Origin, [1.0, "x"])], CancellationToken.None);
        async Task<OnlineFeatureRow?> Read(string key) => (await reader.ReadAsync([s.View], [[key]], CancellationToken.None))[0][key];

        Assert.Equal(1.0, (await Read("a"))!.Values[0]);
        Assert.Null(await Read("b"));
        await s.Online.WriteAsync(s.View, [new OnlineFeatureRow("a", Origin.AddMinutes(1), [2.0, "y"]), new OnlineFeatureRow("b", Origin, [5.0, "z"])], CancellationToken.None);
        Assert.Equal(1.0, (await Read("a"))!.Values[0]);
        Assert.Null(await Read("b"));

        s.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(2.0, (await Read("a"))!.Values[0]);
        Assert.Equal(5.0, (await Read("b"))!.Values[0]);

        s.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Null(await Read("b"));
        Assert.Equal(2.0, (await Read("a"))!.Values[0]);
    }

    /// <summary>
    /// For label rows in time order: materialize up to the row's time, then the online lookup at that time equals the
    /// offline join's training row (random data, equal times, TTL edges, entities without rows).
    /// </summary>
    [Fact]
    public async Task The_online_row_after_materializing_up_to_t_equals_the_training_row_at_t()
    {
        var random = new Random(7);
        const int rows = 120;
        var keys = Enumerable.Range(0, rows).Select(_ => $"e{random.Next(6)}").ToArray();
        var minutes = Enumerable.Range(0, rows).Select(_ => random.Next(0, 100)).ToArray();
        var source = Source(keys, minutes);
        var s = await SetUpAsync(source, TimeSpan.FromMinutes(15));
        var labelKeys = Enumerable.Range(0, 25).Select(_ => $"e{random.Next(8)}").ToArray();
        var labelMinutes = Enumerable.Range(0, 25).Select(_ => random.Next(0, 110)).Order().ToArray();
        var labels = new TabularDataset([DataColumn.Text("id", labelKeys), DataColumn.Text(FeatureViewReference.EventTimestampColumn, [.. labelMinutes.Select(Time)])]);
        var training = TrainingSetBuilder.Build(labels, [new ViewSource(s.View.View, s.View.View.Features, source)]);
        var reader = new OnlineFeatureReader(s.Online, Options.Create(new FeatureStoreOptions { OnlineCacheTtl = TimeSpan.Zero }), s.Time);

        for (var i = 0; i < labelKeys.Length; i++)
        {
            var t = Origin.AddMinutes(labelMinutes[i]);
            await s.Materializer.MaterializeAsync(s.View, t, CancellationToken.None);
            s.Time.SetUtcNow(t);
            var online = (await reader.ReadAsync([s.View], [[labelKeys[i]]], CancellationToken.None))[0][labelKeys[i]];
            var x = training["x"].FloatValues[i];
            Assert.True(float.IsNaN(x) ? online is null : online is not null && (double)online.Values[0]! == x, $"label {i} ({labelKeys[i]} at {labelMinutes[i]}): offline {x}, online {online?.Values[0]}");
            Assert.Equal(training["c"].TextValues[i], online?.Values[1] as string);
        }
    }
}
