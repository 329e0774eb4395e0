using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Runs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Runs;

/// <summary>
/// A run's log on real Azurite (<see cref="RunLog"/>): appends from separate writers all land whole, a reader tails with
/// the byte cursor, the size cap holds and says so; and <see cref="RunLogSink"/> copies what is logged inside a
/// <see cref="RunLogScope"/>, batched.
/// </summary>
public sealed class RunLogTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Lines_from_two_writers_all_land_whole_and_in_each_writers_order()
    {
        var (a, b, model) = (Log(await StorageAsync()), Log(await StorageAsync()), Azurite.UniqueModel("log"));
        var writes = new[] { a, b }.Select((log, w) => Task.Run(async () =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                var lines = Enumerable.Range(0, 5).Select(i => Line($"writer {w} line {(batch * 5) + i:D2}", w == 0 ? RunLogSources.Activity : RunLogSources.Job)).ToList();
                Assert.True(await log.AppendAsync(model, "run-1", lines, CancellationToken.None));
            }
        }));
        await Task.WhenAll(writes);

        var all = await ReadAllAsync(a, model, "run-1", limit: 7);
        Assert.Equal(100, all.Count);
        foreach (var (writer, source) in new[] { (0, RunLogSources.Activity), (1, RunLogSources.Job) })
        {
            var mine = all.Where(l => l.Message.StartsWith($"writer {writer} ", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"writer {writer} line {i:D2}"), mine.Select(l => l.Message));
            Assert.All(mine, l => Assert.Equal(source, l.Source));
        }
    }

    [Fact]
    public async Task A_reader_tails_with_the_cursor_and_a_cursor_inside_a_line_is_refused()
    {
        var (log, model) = (Log(await StorageAsync()), Azurite.UniqueModel("tail"));
        var none = (await log.ReadAsync(model, "r", 0, 10, CancellationToken.None))!;
        Assert.Empty(none.Lines);
        Assert.Equal(0, none.Next);

        await log.AppendAsync(model, "r", [Line("one"), Line("two"), Line("three")], CancellationToken.None);
        var first = (await log.ReadAsync(model, "r", 0, 2, CancellationToken.None))!;
        Assert.Equal(["one", "two"], first.Lines.Select(l => l.Message));
        Assert.True(first.More);
        var second = (await log.ReadAsync(model, "r", first.Next, 10, CancellationToken.None))!;
        Assert.Equal(["three"], second.Lines.Select(l => l.Message));
        Assert.False(second.More);

        // Nothing new yet: the same cursor comes back; then the next append shows up after it.
        var idle = (await log.ReadAsync(model, "r", second.Next, 10, CancellationToken.None))!;
        Assert.Empty(idle.Lines);
        Assert.Equal(second.Next, idle.Next);
        await log.AppendAsync(model, "r", [Line("four")], CancellationToken.None);
        Assert.Equal(["four"], (await log.ReadAsync(model, "r", idle.Next, 10, CancellationToken.None))!.Lines.Select(l => l.Message));

        Assert.Null(await log.ReadAsync(model, "r", first.Next - 3, 10, CancellationToken.None));
        Assert.Null(await log.ReadAsync(model, "r", second.Next + 1000, 10, CancellationToken.None));
        Assert.Null(await log.ReadAsync(model, "no-such-run", 5, 10, CancellationToken.None));
    }

    [Fact]
    public async Task The_log_stops_at_its_cap_with_a_line_that_says_so_and_long_lines_are_cut()
    {
        var storage = await StorageAsync();
        var log = Log(storage, new RunLogOptions { MaxBytesPerRun = 4000, MaxLineChars = 100 });
        var model = Azurite.UniqueModel("cap");
        Assert.True(await log.AppendAsync(model, "r", [Line(new string('x', 500))], CancellationToken.None));

        var accepted = 0;
        while (await log.AppendAsync(model, "r", [Line($"line {accepted}")], CancellationToken.None))
        {
            accepted++;
            Assert.True(accepted < 100, "the cap never took effect");
        }

        Assert.False(await log.AppendAsync(model, "r", [Line("after the cap")], CancellationToken.None));
        var lines = await ReadAllAsync(log, model, "r", limit: 1000);
        Assert.StartsWith(new string('x', 100) + "… (400 more characters cut)", lines[0].Message, StringComparison.Ordinal);
        Assert.Equal(accepted + 2, lines.Count);
        var last = lines[^1];
        Assert.Equal(RunLogLevels.Warning, last.Level);
        Assert.Contains("cap of 4000 bytes", last.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Message == "after the cap");
        var size = (await storage.Runs.GetBlobClient(BlobLayout.RunLog(model, "r")).GetPropertiesAsync()).Value.ContentLength;
        Assert.InRange(size, 3000, 4000 + 512);
    }

    [Fact]
    public async Task The_sink_keeps_platform_lines_logged_inside_a_scope_at_the_configured_level()
    {
        var (log, model) = (Log(await StorageAsync()), Azurite.UniqueModel("sink"));
        using var sink = new RunLogSink(new OneService(log), Options.Create(new RunLogOptions()), new FakeTimeProvider(At));
        var platform = sink.CreateLogger("Serverless.Core.Ingest.IngestService");
        var sdk = sink.CreateLogger("Azure.Core");

        platform.LogInformation("before the scope");
        await using (RunLogScope.Begin("run-s", model, PipelineSteps.Ingest, RunLogSources.Activity))
        {
            platform.LogInformation("Read {File}: {Rows} rows", "churn.csv", 3);
            platform.LogDebug("too detailed");
            sdk.LogInformation("an SDK line");
            await Task.Run(() => platform.LogWarning(new InvalidDataException("bad row"), "on another thread"));
        }

        platform.LogInformation("after the scope");
        var lines = await ReadAllAsync(log, model, "run-s", limit: 100);
        Assert.Equal(["Read churn.csv: 3 rows", "on another thread (InvalidDataException: bad row)"], lines.Select(l => l.Message));
        Assert.All(lines, l =>
        {
            Assert.Equal(PipelineSteps.Ingest, l.Step);
            Assert.Equal(RunLogSources.Activity, l.Source);
            Assert.Equal(At, l.At);
        });
        Assert.Equal([RunLogLevels.Information, RunLogLevels.Warning], lines.Select(l => l.Level));
    }

    [Fact]
    public async Task A_steps_failure_is_an_error_line_after_what_it_logged()
    {
        var (log, model) = (Log(await StorageAsync()), Azurite.UniqueModel("fail"));
        using var sink = new RunLogSink(new OneService(log), Options.Create(new RunLogOptions()), new FakeTimeProvider(At));
        await using (var scope = RunLogScope.Begin("run-x", model, PipelineSteps.Evaluate, RunLogSources.Activity))
        {
            sink.CreateLogger("Serverless.Core.Promotion.CandidateEvaluation").LogInformation("Candidate on the holdout: auc 0.8");
            scope.ReportFailure(new InvalidOperationException("the champion's model is unreadable"));
        }

        var lines = await ReadAllAsync(log, model, "run-x", limit: 10);
        Assert.Equal(2, lines.Count);
        Assert.Equal((RunLogLevels.Error, "The evaluate step failed: InvalidOperationException: the champion's model is unreadable"), (lines[1].Level, lines[1].Message));
    }

    [Fact]
    public async Task An_open_scope_is_flushed_every_interval_in_batches_so_a_long_step_can_be_tailed()
    {
        var (log, model) = (Log(await StorageAsync()), Azurite.UniqueModel("flush"));
        var time = new FakeTimeProvider(At);
        using var sink = new RunLogSink(new OneService(log), Options.Create(new RunLogOptions { FlushInterval = TimeSpan.FromSeconds(1) }), time);
        var logger = sink.CreateLogger("Serverless.Core.Training.Remote.GpuTrainingWorker");

        await using (RunLogScope.Begin("run-f", model, PipelineSteps.Train, RunLogSources.Job))
        {
            for (var epoch = 1; epoch <= 3; epoch++) logger.LogInformation("epoch {Epoch}", epoch);
            Assert.Empty((await log.ReadAsync(model, "run-f", 0, 10, CancellationToken.None))!.Lines);

            time.Advance(TimeSpan.FromSeconds(1));
            var flushed = await Eventually.UntilAsync(
                async () => (await log.ReadAsync(model, "run-f", 0, 10, CancellationToken.None))!.Lines is { Count: 3 } l ? l : null,
                TimeSpan.FromSeconds(20), "the interval's flush");
            Assert.Equal(["epoch 1", "epoch 2", "epoch 3"], flushed.Select(l => l.Message));
            logger.LogInformation("epoch 4");
        }

        Assert.Equal(4, (await ReadAllAsync(log, model, "run-f", limit: 10)).Count);
        // Batched: the interval's three lines are one append, the closing flush's line another.
        var storage = await StorageAsync();
        Assert.Equal(2, (await storage.Runs.GetBlobClient(BlobLayout.RunLog(model, "run-f")).GetPropertiesAsync()).Value.BlobCommittedBlockCount);
    }

    private static RunLogLine Line(string message, string source = RunLogSources.Activity) => new(At, RunLogLevels.Information, PipelineSteps.Train, message, source);

    private static RunLog Log(PlatformStorage storage, RunLogOptions? options = null) => new(storage, Options.Create(options ?? new RunLogOptions()), new FakeTimeProvider(At));

    private static async Task<PlatformStorage> StorageAsync()
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(CancellationToken.None);
        return storage;
    }

    private static async Task<List<RunLogLine>> ReadAllAsync(RunLog log, string model, string runId, int limit)
    {
        List<RunLogLine> all = [];
        long after = 0;
        while (true)
        {
            var page = await log.ReadAsync(model, runId, after, limit, CancellationToken.None) ?? throw new InvalidOperationException($"cursor {after} refused");
            all.AddRange(page.Lines);
            after = page.Next;
            if (!page.More) return all;
        }
    }

    private sealed class OneService(RunLog log) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(RunLog) ? log : null;
    }
}
