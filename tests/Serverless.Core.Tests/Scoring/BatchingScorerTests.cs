using System.Diagnostics.Metrics;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Scoring;

/// <summary>Dynamic batching in process: rows back to their callers, error and cancellation isolation, no added latency.</summary>
public sealed class BatchingScorerTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ModelServer _server;

    public BatchingScorerTests() => _server = Server(TimeProvider.System);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Sixty_four_concurrent_callers_each_get_exactly_their_own_rows_across_a_version_swap()
    {
        var model = Azurite.UniqueModel("batch");
        var versions = new[] { TinyModel.Loaded(model, 1), TinyModel.Loaded(model, 2) };
        using var scorer = Scorer(maxRows: 512, maxWait: TimeSpan.FromMilliseconds(1), TimeProvider.System);
        using var runs = new RunSizes(model);

        var coalesced = false;
        for (var round = 0; round < 20 && !coalesced; round++)
        {
            var before = runs.Count;
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var callers = Enumerable.Range(0, 64).Select(async i =>
            {
                var rows = TinyModel.Rows(1 + (i % 17), start: -2 + (i * 0.05));
                var version = versions[i % 2];
                await go.Task;
                return (i, rows, version, Response: await scorer.PredictAsync(version, rows, CancellationToken.None));
            }).ToList();
            go.SetResult();

            foreach (var (i, rows, version, response) in await Task.WhenAll(callers))
            {
                var alone = _server.Predict(version, rows);
                Assert.Equal(version.Card.Version, response.Version);
                Assert.Equal(rows.RowCount, response.Predictions.Count);
                // A shared run has another batch shape than the call alone: equal within ONNX Runtime's noise.
                for (var r = 0; r < rows.RowCount; r++)
                {
                    var (expected, actual) = (alone.Predictions[r], response.Predictions[r]);
                    ScoreAssert.Close(expected.Score, actual.Score);
                    ScoreAssert.SameLabel(expected.Label, actual.Label, Math.Abs(expected.Score!.Value - 0.5));
                }

                Assert.Equal(rows.RowCount, response.Predictions.Select(p => p.Id).Distinct().Count());
            }

            coalesced = runs.Count - before < 64;
        }

        // Whether 64 real callers overlap depends on the scheduler (a tiny model scores in microseconds), so the
        // rounds only raise the odds of a shared run here; the gated-clock tests below share runs deterministically.
    }

    [Fact]
    public async Task A_call_on_an_idle_model_runs_at_once_even_with_a_long_max_wait()
    {
        using var scorer = Scorer(maxRows: 512, maxWait: TimeSpan.FromHours(1), _clock);
        var task = scorer.PredictAsync(TinyModel.Loaded(Azurite.UniqueModel("idle")), TinyModel.Rows(3, 0), CancellationToken.None);

        // Completed before returning: the caller's own thread ran it; the (fake) clock never moved.
        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(3, (await task).Predictions.Count);
    }

    [Fact]
    public async Task A_failing_call_in_a_batch_fails_alone()
    {
        var loaded = TinyModel.Loaded(Azurite.UniqueModel("fail"));
        using var clock = new GatedClock();
        using var server = Server(clock);
        using var scorer = Scorer(maxRows: 512, maxWait: TimeSpan.FromHours(1), _clock, server);
        var busy = Task.Run(() => scorer.PredictAsync(loaded, TinyModel.Rows(1, 0), CancellationToken.None));
        await clock.Entered;

        var good1 = scorer.PredictAsync(loaded, TinyModel.Rows(2, 0.5), CancellationToken.None);
        // Numbers where the model takes text: these rows break a shared run.
        var bad = scorer.PredictAsync(loaded, new TabularDataset([DataColumn.Float("x", [1f]), DataColumn.Float("color", [1f])]), CancellationToken.None);
        var good2 = scorer.PredictAsync(loaded, TinyModel.Rows(3, -0.5), CancellationToken.None);
        Assert.False(good1.IsCompleted || bad.IsCompleted || good2.IsCompleted, "calls should queue behind the busy run");

        // The busy run ends and the three start as one batch.
        clock.Release();
        Assert.Single((await busy).Predictions);
        var alone = _server.Predict(loaded, TinyModel.Rows(2, 0.5)).Predictions;
        var shared = (await good1).Predictions;
        Assert.Equal(alone.Count, shared.Count);
        for (var r = 0; r < alone.Count; r++)
        {
            ScoreAssert.Close(alone[r].Score, shared[r].Score);
        }

        Assert.Equal(3, (await good2).Predictions.Count);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => bad);
    }

    [Fact]
    public async Task A_cancelled_caller_does_not_fail_the_others_and_max_wait_starts_a_queued_batch()
    {
        var loaded = TinyModel.Loaded(Azurite.UniqueModel("cancel"));
        using var clock = new GatedClock();
        using var server = Server(clock);
        using var scorer = Scorer(maxRows: 512, maxWait: TimeSpan.FromMilliseconds(5), _clock, server);
        var busy = Task.Run(() => scorer.PredictAsync(loaded, TinyModel.Rows(1, 0), CancellationToken.None));
        await clock.Entered;

        using var cts = new CancellationTokenSource();
        var first = scorer.PredictAsync(loaded, TinyModel.Rows(2, 0.5), CancellationToken.None);
        var cancelled = scorer.PredictAsync(loaded, TinyModel.Rows(4, 0.1), cts.Token);
        var last = scorer.PredictAsync(loaded, TinyModel.Rows(1, -1), CancellationToken.None);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        // The batch's max wait elapses while the busy run is still busy: the queued calls start without it.
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(2, (await first).Predictions.Count);
        Assert.Single((await last).Predictions);
        Assert.False(busy.IsCompleted);

        clock.Release();
        Assert.Single((await busy).Predictions);
    }

    private BatchingScorer Scorer(int maxRows, TimeSpan maxWait, TimeProvider time, ModelServer? server = null) =>
        new(server ?? _server, time, Options.Create(new ScoringOptions { BatchingEnabled = true, BatchMaxRows = maxRows, BatchMaxWait = maxWait }));

    private static ModelServer Server(TimeProvider time)
    {
        // Predict never touches storage; the registry is only needed to construct the server.
        var storage = new PlatformStorage(new BlobServiceClient(Azurite.ConnectionString));
        return new ModelServer(new ModelRegistry(storage, TimeProvider.System), storage, time, Options.Create(new ScoringOptions()));
    }

    /// <summary>
    /// Holds the first scoring run in place: <see cref="ModelServer.Predict"/> stamps each prediction id with the
    /// time, so the first read of the clock blocks until <see cref="Release"/>, keeping the lane busy for certain.
    /// </summary>
    private sealed class GatedClock : TimeProvider, IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed = 1;

        public Task Entered => _entered.Task;

        public void Release() => _release.Set();

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _entered.SetResult();
                _release.Wait(TimeSpan.FromSeconds(30));
            }

            return base.GetUtcNow();
        }

        public void Dispose()
        {
            _release.Set();
            _release.Dispose();
        }
    }

    /// <summary>Counts the ONNX Runtime runs of one model recorded while it lives.</summary>
    private sealed class RunSizes : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public RunSizes(string model)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i, PlatformTelemetry.BatchRows)) l.EnableMeasurementEvents(i);
            };
            _listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "model" && (string?)tag.Value == model) Interlocked.Increment(ref _count);
                }
            });
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
