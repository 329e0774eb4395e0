using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Monitoring.Logging;

/// <summary>
/// The prediction log's buffer is bounded in bytes: flooded with no writer running, it fills up to the bound, never
/// past it (not even while many threads offer at once), and counts every entry it turns away.
/// </summary>
public sealed class PredictionLogByteBoundTests
{
    private const long Bound = 256 * 1024;

    [Fact]
    public void A_flood_fills_the_buffer_to_its_byte_bound_and_no_further_and_counts_the_drops()
    {
        var log = NewLog(Bound);
        var rng = new Random(3);
        long accepted = 0, acceptedRows = 0, offeredRows = 0, largest = 0;
        for (var i = 0; i < 2_000; i++)
        {
            var entry = Entry(rows: rng.Next(1, 40), textLength: rng.Next(0, 200));
            offeredRows += entry.Predictions.Count;
            largest = Math.Max(largest, entry.EstimatedBytes);
            if (log.Offer(entry))
            {
                accepted += entry.EstimatedBytes;
                acceptedRows += entry.Predictions.Count;
            }

            Assert.InRange(log.BufferedBytes, 0, Bound);
        }

        Assert.Equal(accepted, log.BufferedBytes);
        Assert.Equal(offeredRows - acceptedRows, log.Dropped);
        Assert.True(log.Dropped > 0);

        // Filled, not merely refusing: what is left is less than the largest entry offered.
        Assert.True(Bound - log.BufferedBytes < largest, $"{log.BufferedBytes} of {Bound} bytes used");
    }

    [Fact]
    public async Task Concurrent_offers_never_take_the_buffer_past_its_bound()
    {
        var log = NewLog(Bound);
        var entries = Enumerable.Range(0, 4_000).Select(i => Entry(rows: 1 + (i % 25), textLength: i % 150)).ToArray();
        var offered = entries.Sum(e => (long)e.Predictions.Count);
        using var done = new CancellationTokenSource();
        var highest = 0L;
        var watcher = Task.Run(() =>
        {
            while (!done.IsCancellationRequested) highest = Math.Max(highest, log.BufferedBytes);
        });

        var acceptedRows = 0L;
        var acceptedBytes = 0L;
        Parallel.ForEach(entries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, e =>
        {
            if (log.Offer(e))
            {
                Interlocked.Add(ref acceptedRows, e.Predictions.Count);
                Interlocked.Add(ref acceptedBytes, e.EstimatedBytes);
            }
        });
        await done.CancelAsync();
        await watcher;

        Assert.InRange(highest, 0, Bound);
        Assert.Equal(acceptedBytes, log.BufferedBytes);
        Assert.Equal(offered - acceptedRows, log.Dropped);
        Assert.True(log.Dropped > 0);
    }

    [Fact]
    public void The_bound_is_in_bytes_so_a_wide_row_counts_for_more_than_a_narrow_one()
    {
        var narrow = Entry(rows: 1, textLength: 0);
        var wide = Entry(rows: 1, textLength: 20_000);
        Assert.True(wide.EstimatedBytes > 20 * narrow.EstimatedBytes);

        var log = NewLog(3 * wide.EstimatedBytes);
        Assert.True(log.Offer(wide));
        Assert.True(log.Offer(wide));
        Assert.True(log.Offer(wide));
        Assert.False(log.Offer(wide));
        Assert.Equal(1, log.Dropped);

        // The same number of rows, narrow, fits many times over in what one wide row took.
        var roomy = NewLog(wide.EstimatedBytes);
        for (var i = 0; i < 20; i++) Assert.True(roomy.Offer(narrow));
    }

    [Fact]
    public void Zero_bytes_turns_the_log_off()
    {
        var log = NewLog(0);

        Assert.False(log.Offer(Entry(rows: 3, textLength: 1)));
        Assert.Equal(3, log.Dropped);
        Assert.Equal(0, log.BufferedBytes);
    }

    [Fact]
    public async Task Entries_given_up_at_shutdown_leave_the_buffer_empty()
    {
        var log = NewLog(Bound);
        for (var i = 0; i < 5; i++) Assert.True(log.Offer(Entry(rows: 2, textLength: 10)));
        Assert.True(log.BufferedBytes > 0);

        // Shutdown time is already up: nothing is written, everything is dropped and no longer held.
        var lost = await log.DrainAsync(new CancellationToken(canceled: true));

        Assert.Equal(10, lost);
        Assert.Equal(0, log.BufferedBytes);
    }

    [Fact]
    public void The_estimate_counts_every_string_the_entry_holds()
    {
        var at = DateTimeOffset.UnixEpoch;
        var probabilities = new Dictionary<string, double> { ["low"] = 0.2, ["high"] = 0.8 };
        var bare = new PredictionLogEntry("m", 1, ModelTask.Multiclass, "r", at, new TabularDataset([DataColumn.Text("t", [null])]), [new Prediction("id", "high", null, null)], null);
        var withText = bare with { Inputs = new TabularDataset([DataColumn.Text("t", [new string('x', 1000)])]) };
        var withProbabilities = bare with { Predictions = [new Prediction("id", "high", null, probabilities)] };

        // 1,000 UTF-16 chars are 2,000 bytes; two classes add two dictionary entries and their names.
        Assert.InRange(withText.EstimatedBytes - bare.EstimatedBytes, 2_000, 2_100);
        Assert.True(withProbabilities.EstimatedBytes - bare.EstimatedBytes > 2 * (24 + 8));
    }

    [Fact]
    public async Task A_quarter_full_buffer_is_written_without_waiting_out_the_flush_interval()
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(CancellationToken.None);
        var model = Azurite.UniqueModel("quarter");

        // The clock never moves: without the quarter-full signal nothing would ever be written.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new PredictionLog(storage, new NoLabeling(), clock,
            Options.Create(new PredictionLogOptions { MaxBufferedBytes = Bound, FlushInterval = TimeSpan.FromHours(1) }), NullLogger<PredictionLog>.Instance);
        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);

        var offered = 0L;
        while (offered < Bound / 4)
        {
            var entry = Entry(rows: 5, textLength: 20) with { Model = model, At = clock.GetUtcNow() };
            Assert.True(log.Offer(entry));
            offered += entry.EstimatedBytes;
        }

        await Eventually.TrueAsync(
            async () =>
            {
                await foreach (var _ in storage.Predictions.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = model + "/" })) return true;
                return false;
            },
            TimeSpan.FromSeconds(30),
            "a prediction log file written before the flush interval");
        await stop.CancelAsync();
        await writer;
    }

    private sealed class NoLabeling : IUncertainPredictionSink
    {
        public Task EnqueueUncertainAsync(IReadOnlyList<PredictionLogEntry> entries, CancellationToken ct) => Task.CompletedTask;
    }

    private static PredictionLog NewLog(long maxBufferedBytes) => new(
        new PlatformStorage(new BlobServiceClient("UseDevelopmentStorage=true")),
        new LabelingQueue(new TableServiceClient("UseDevelopmentStorage=true")),
        TimeProvider.System,
        Options.Create(new PredictionLogOptions { MaxBufferedBytes = maxBufferedBytes }),
        NullLogger<PredictionLog>.Instance);

    private static PredictionLogEntry Entry(int rows, int textLength)
    {
        var at = DateTimeOffset.UnixEpoch;
        var x = new float[rows];
        var text = new string?[rows];
        var predictions = new Prediction[rows];
        for (var i = 0; i < rows; i++)
        {
            x[i] = i;
            text[i] = textLength == 0 ? null : new string((char)('a' + (i % 26)), textLength);
            predictions[i] = new Prediction(PredictionIds.New(at), "true", 0.5, null);
        }

        return new PredictionLogEntry("m", 1, ModelTask.Binary, "req", at, new TabularDataset([DataColumn.Float("x", x), DataColumn.Text("t", text)]), predictions, null);
    }
}
