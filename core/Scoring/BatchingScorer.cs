using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.Telemetry;

namespace Serverless.Core.Scoring;

/// <summary>
/// Dynamic batching: concurrent predict calls for the same model version share one ONNX Runtime run, which
/// amortizes the per-run cost (tensor setup, graph dispatch, a GPU launch) over many small requests.
/// <para>
/// A call that finds its version idle runs at once on its own thread, so without concurrency nothing waits.
/// While a run is busy, calls join one open batch, which starts when that run finishes, when it holds
/// <see cref="ScoringOptions.BatchMaxRows"/> rows, or <see cref="ScoringOptions.BatchMaxWait"/> after its first
/// call, whichever comes first. Requests of <see cref="ScoringOptions.BatchMaxRows"/> rows or more are batches
/// already and run alone.
/// </para>
/// <para>
/// Each caller gets a response with exactly its own rows, in order. A batch holds one (model, version) only, so a
/// champion swap never mixes versions. If a shared run fails, every call in it is retried alone, so the error
/// reaches only the call that caused it. A caller that gives up stops waiting; the others are unaffected.
/// </para>
/// </summary>
public sealed class BatchingScorer(ModelServer server, TimeProvider time, IOptions<ScoringOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<(string Model, int Version), Lane> _lanes = new();
    private readonly ModelServer _server = server;
    private readonly TimeProvider _time = time;
    private readonly IOptions<ScoringOptions> _options = options;

    /// <summary>Scores already-validated rows, coalesced with concurrent calls when batching is enabled.</summary>
    public Task<PredictResponse> PredictAsync(LoadedModel model, TabularDataset rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        ct.ThrowIfCancellationRequested();
        var o = _options.Value;
        if (!o.BatchingEnabled || rows.RowCount >= o.BatchMaxRows)
        {
            return Task.FromResult(_server.Predict(model, rows));
        }

        var lane = _lanes.GetOrAdd((model.Card.Model, model.Card.Version), _ => new Lane(this));
        return lane.Submit(new Call(model, rows, ct));
    }

    public void Dispose()
    {
        foreach (var lane in _lanes.Values) lane.Dispose();
    }

    private sealed class Call(LoadedModel model, TabularDataset rows, CancellationToken ct)
    {
        // Asynchronous continuations: the thread running a batch must not run one caller's rest before the others get their rows.
        public TaskCompletionSource<PredictResponse> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LoadedModel Model { get; } = model;

        public TabularDataset Rows { get; } = rows;

        public CancellationToken Cancellation { get; } = ct;
    }

    private sealed class Batch(Lane lane)
    {
        public Lane Lane { get; } = lane;

        public List<Call> Calls { get; } = [];

        public int Rows { get; set; }

        public ITimer? Timer { get; set; }
    }

    /// <summary>The calls of one (model, version): at most one open batch, any number of runs in flight.</summary>
    private sealed class Lane(BatchingScorer owner) : IDisposable
    {
        private readonly Lock _gate = new();
        private Batch? _open;
        private int _running;

        public Task<PredictResponse> Submit(Call call)
        {
            var maxRows = owner._options.Value.BatchMaxRows;
            Batch? inline = null;
            Batch? dispatch = null;
            lock (_gate)
            {
                if (_running == 0)
                {
                    // Idle (and so no open batch: finishing runs drain it): run now, on this thread.
                    _running++;
                    inline = new Batch(this);
                    inline.Calls.Add(call);
                }
                else
                {
                    if (_open is { } open && open.Rows + call.Rows.RowCount > maxRows)
                    {
                        dispatch = TakeOpen();
                    }

                    _open ??= Open();
                    _open.Calls.Add(call);
                    _open.Rows += call.Rows.RowCount;
                    if (_open.Rows >= maxRows)
                    {
                        dispatch = TakeOpen();
                    }
                }
            }

            if (inline is not null) Run(inline);
            if (dispatch is not null) ThreadPool.UnsafeQueueUserWorkItem(static b => b.Lane.Run(b), dispatch, preferLocal: false);
            return call.Result.Task.WaitAsync(call.Cancellation);
        }

        public void Dispose()
        {
            lock (_gate) _open?.Timer?.Dispose();
        }

        // Callers hold _gate.
        private Batch Open()
        {
            var batch = new Batch(this);
            batch.Timer = owner._time.CreateTimer(static s => ((Batch)s!).Lane.OnMaxWait((Batch)s!), batch, owner._options.Value.BatchMaxWait, Timeout.InfiniteTimeSpan);
            return batch;
        }

        // Callers hold _gate.
        private Batch TakeOpen()
        {
            var batch = _open!;
            _open = null;
            batch.Timer?.Dispose();
            _running++;
            return batch;
        }

        private void OnMaxWait(Batch batch)
        {
            lock (_gate)
            {
                // Already started (full, or a run finished first).
                if (!ReferenceEquals(_open, batch)) return;
                TakeOpen();
            }

            Run(batch);
        }

        private void Run(Batch batch)
        {
            try
            {
                Execute(batch);
            }
            finally
            {
                Batch? next = null;
                lock (_gate)
                {
                    _running--;
                    if (_open is not null) next = TakeOpen();
                }

                // On the pool, so the caller that ran this batch inline gets its response now.
                if (next is not null) ThreadPool.UnsafeQueueUserWorkItem(static b => b.Lane.Run(b), next, preferLocal: false);
            }
        }

        private void Execute(Batch batch)
        {
            var live = new List<Call>(batch.Calls.Count);
            foreach (var call in batch.Calls)
            {
                // Callers that gave up while queued cost no scoring.
                if (call.Cancellation.IsCancellationRequested) call.Result.TrySetCanceled(call.Cancellation);
                else live.Add(call);
            }

            if (live.Count == 0) return;
            if (live.Count == 1)
            {
                RunAlone(live[0]);
                return;
            }

            PredictResponse response;
            try
            {
                var combined = Concat(live);
                PlatformTelemetry.BatchRows.Record(combined.RowCount, new KeyValuePair<string, object?>("model", live[0].Model.Card.Model));
                response = owner._server.Predict(live[0].Model, combined);
            }
            catch (Exception)
            {
                // Some call's rows broke the shared run: score each alone, so only that call sees the error.
                foreach (var call in live) RunAlone(call);
                return;
            }

            var predictions = response.Predictions;
            var offset = 0;
            foreach (var call in live)
            {
                var own = new Prediction[call.Rows.RowCount];
                for (var i = 0; i < own.Length; i++) own[i] = predictions[offset + i];
                offset += own.Length;
                call.Result.TrySetResult(response with { Predictions = own });
            }
        }

        private void RunAlone(Call call)
        {
            try
            {
                PlatformTelemetry.BatchRows.Record(call.Rows.RowCount, new KeyValuePair<string, object?>("model", call.Model.Card.Model));
                call.Result.TrySetResult(owner._server.Predict(call.Model, call.Rows));
            }
            catch (Exception e)
            {
                call.Result.TrySetException(e);
            }
        }

        /// <summary>Stacks the calls' rows; throws when their columns differ (the caller then scores them alone).</summary>
        private static TabularDataset Concat(List<Call> calls)
        {
            var total = calls.Sum(c => c.Rows.RowCount);
            var columns = new List<DataColumn>();
            foreach (var first in calls[0].Rows.Columns)
            {
                var offset = 0;
                if (first.Kind == ColumnKind.Float)
                {
                    var values = new float[total];
                    foreach (var call in calls)
                    {
                        var source = call.Rows[first.Name].FloatValues;
                        source.CopyTo(values, offset);
                        offset += source.Length;
                    }

                    columns.Add(DataColumn.Float(first.Name, values));
                }
                else
                {
                    var values = new string?[total];
                    foreach (var call in calls)
                    {
                        var source = call.Rows[first.Name].TextValues;
                        source.CopyTo(values, offset);
                        offset += source.Length;
                    }

                    columns.Add(DataColumn.Text(first.Name, values));
                }
            }

            return new TabularDataset(columns);
        }
    }
}
