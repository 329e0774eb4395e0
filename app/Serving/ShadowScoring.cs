using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;

namespace Serverless.App.Serving;

/// <summary>
/// A shadow version scores copies of live requests off the hot path: the live request only offers its body to a
/// bounded queue (<see cref="ScoringOptions.ShadowQueueCapacity"/>; full: the copy is dropped and counted), and one
/// background loop parses, scores, times and logs each copy under the shadow's version. Nothing it does can slow or
/// fail the live response.
/// </summary>
public sealed class ShadowScoring : IAsyncDisposable
{
    private readonly Channel<ShadowCopy> _queue;
    private readonly ModelServer _server;
    private readonly PredictionLog _log;
    private readonly TrafficStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger<ShadowScoring> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _dropped;
    private long _scored;
    private long _failed;

    public ShadowScoring(ModelServer server, PredictionLog log, TrafficStats stats, IOptions<ScoringOptions> options, TimeProvider time, ILogger<ShadowScoring> logger)
    {
        (_server, _log, _stats, _time, _logger) = (server, log, stats, time, logger);
        _queue = Channel.CreateBounded<ShadowCopy>(new BoundedChannelOptions(options.Value.ShadowQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Copies dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Copies scored (successfully or not).</summary>
    public long Scored => Interlocked.Read(ref _scored);

    /// <summary>Copies whose scoring failed (field errors against the shadow's inputs, or an exception).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Queues a copy; never blocks.</summary>
    public void Offer(string model, LoadedModel shadow, byte[] body, RowsLocation rows, string requestId)
    {
        if (!_queue.Writer.TryWrite(new ShadowCopy(model, shadow, body, rows, requestId)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var copy in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                Score(copy);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Host stopping: queued copies are dropped, as a shadow's traffic may be.
        }
    }

    private void Score(ShadowCopy copy)
    {
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            var errors = new List<FieldError>();
            var parsed = PredictionRequestParser.Parse(copy.Body, copy.Rows, copy.Shadow.RequestSchema, _server.Options.MaxRows, errors);
            if (parsed.Table is { } table)
            {
                var response = _server.Predict(copy.Shadow, table);
                var logged = FeatureLogPrivacy.Apply(table, _server.LoggedFeaturesFor(copy.Shadow));
                _log.Offer(new PredictionLogEntry(copy.Model, response.Version, copy.Shadow.Card.Task, "shadow:" + copy.RequestId, _time.GetUtcNow(), logged, response.Predictions, null));
                succeeded = true;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failing shadow is exactly what it is there to find out: counted, logged, never thrown.
            _logger.LogWarning(e, "Shadow {Model} v{Version} failed to score request {RequestId}", copy.Model, copy.Shadow.Card.Version, copy.RequestId);
        }

        Interlocked.Increment(ref _scored);
        if (!succeeded) Interlocked.Increment(ref _failed);
        _stats.Record(copy.Model, copy.Shadow.Card.Version, succeeded, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed record ShadowCopy(string Model, LoadedModel Shadow, byte[] Body, RowsLocation Rows, string RequestId);
}
