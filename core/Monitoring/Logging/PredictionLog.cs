using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;

namespace Serverless.Core.Monitoring.Logging;

/// <summary>
/// Writes predictions to <c>predictions/{model}/{yyyy}/{MM}/{dd}/{HH}/…parquet</c> in batches, off the request
/// path. <see cref="Offer"/> never blocks or throws: when the buffer is full, or a write fails because storage is
/// down, the rows are counted as dropped and the writer carries on with the next batch.
/// <para>
/// The buffer is bounded in bytes (<see cref="PredictionLogOptions.MaxBufferedBytes"/>, each entry's
/// <see cref="PredictionLogEntry.EstimatedBytes"/>, held until its file is written). Full means drop, not
/// back-pressure: the log is a sample for monitoring, and a predict call must never wait on, or fail because of, the
/// storage the log writes to; the drops are counted (<see cref="Dropped"/>, the <c>reason=buffer-full</c> metric) so a
/// log that cannot keep up is visible.
/// </para>
/// </summary>
public sealed class PredictionLog(
    PlatformStorage storage,
    IUncertainPredictionSink labeling,
    TimeProvider time,
    IOptions<PredictionLogOptions> options,
    ILogger<PredictionLog> logger)
{
    private readonly Channel<PredictionLogEntry> _queue = Channel.CreateUnbounded<PredictionLogEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<PredictionLogEntry> _unwritten = [];

    // Released when the buffer passes a quarter of its bound: the writer then writes without waiting out the interval.
    private readonly SemaphoreSlim _quarterFull = new(0, 1);
    private long _bufferedBytes;
    private long _dropped;
    private DateTimeOffset _lastFailureLog = DateTimeOffset.MinValue;

    /// <summary>Rows dropped since start (buffer full or storage errors).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Estimated bytes of the entries queued or being written; never above <see cref="PredictionLogOptions.MaxBufferedBytes"/>.</summary>
    public long BufferedBytes => Interlocked.Read(ref _bufferedBytes);

    /// <summary>Queues the entry for writing; false (and counted) when it would take the buffer past its byte bound.</summary>
    public bool Offer(PredictionLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var bytes = entry.EstimatedBytes;
        var max = options.Value.MaxBufferedBytes;
        var current = Interlocked.Read(ref _bufferedBytes);
        while (true)
        {
            // Reserve only if it fits, so the count never goes past the bound, not even for an instant.
            if (current + bytes > max)
            {
                Drop(entry.Model, entry.Predictions.Count, "buffer-full");
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _bufferedBytes, current + bytes, current);
            if (seen == current) break;
            current = seen;
        }

        _queue.Writer.TryWrite(entry);
        var threshold = FlushThreshold;
        if (current < threshold && current + bytes >= threshold && _quarterFull.CurrentCount == 0)
        {
            try
            {
                _quarterFull.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another offer signalled first.
            }
        }

        return true;
    }

    /// <summary>
    /// Buffered bytes at which the writer stops waiting for <see cref="PredictionLogOptions.FlushInterval"/>: a quarter
    /// of the bound. At low rates files still collect a whole interval of requests; at high rates what the log holds
    /// stays near a quarter of the bound (it holds rate × interval otherwise), and the rest absorbs slow writes.
    /// </summary>
    private long FlushThreshold => options.Value.MaxBufferedBytes / 4;

    /// <summary>
    /// The writer loop; run it once per process (a hosted service does), then <see cref="DrainAsync"/> once it has
    /// returned. Cancelling it stops it promptly: a batch whose write was cancelled is kept for the drain.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var pending = new List<PredictionLogEntry>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                // Let a batch form: requests arriving within the flush interval share one file, unless a quarter of
                // the buffer fills first.
                if (BufferedBytes < FlushThreshold)
                {
                    using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    var interval = Task.Delay(options.Value.FlushInterval, time, window.Token);
                    var quarterFull = _quarterFull.WaitAsync(window.Token);
                    await Task.WhenAny(interval, quarterFull).ConfigureAwait(false);
                    await window.CancelAsync().ConfigureAwait(false);
                    ct.ThrowIfCancellationRequested();
                }

                var rows = 0;
                while (rows < options.Value.MaxBatchRows && _queue.Reader.TryRead(out var entry))
                {
                    pending.Add(entry);
                    rows += entry.Predictions.Count;
                }

                var unwritten = await WriteAsync(pending, ct).ConfigureAwait(false);
                pending.Clear();
                if (unwritten.Count > 0)
                {
                    _unwritten.AddRange(unwritten);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Writes what is still buffered, at shutdown, after <see cref="RunAsync"/> has returned. Gives up when
    /// <paramref name="ct"/> fires (the host's shutdown timeout): what could not be written is counted as dropped
    /// (reason <c>shutdown</c>) and logged, so a stop never waits on storage that is not there.
    /// </summary>
    /// <returns>Rows that could not be written (also counted in <see cref="Dropped"/>).</returns>
    public async Task<long> DrainAsync(CancellationToken ct)
    {
        var entries = new List<PredictionLogEntry>(_unwritten);
        _unwritten.Clear();
        while (_queue.Reader.TryRead(out var entry)) entries.Add(entry);
        var before = Dropped;
        var unwritten = await WriteAsync(entries, ct).ConfigureAwait(false);
        foreach (var group in unwritten.GroupBy(e => e.Model))
        {
            Drop(group.Key, group.Sum(e => e.Predictions.Count), "shutdown");
            Interlocked.Add(ref _bufferedBytes, -group.Sum(e => e.EstimatedBytes));
        }

        var lost = Dropped - before;
        if (lost > 0)
        {
            logger.LogWarning("Prediction log: {Rows} buffered rows could not be written at shutdown and are dropped ({Total} dropped since start)", lost, Dropped);
        }

        return lost;
    }

    /// <summary>
    /// Writes <paramref name="entries"/> one file per (model, version, hour). A failed write drops its rows (counted);
    /// a cancelled one stops the pass. Returns the entries not written because of the cancellation.
    /// </summary>
    private async Task<List<PredictionLogEntry>> WriteAsync(List<PredictionLogEntry> entries, CancellationToken ct)
    {
        var groups = entries.GroupBy(e => (e.Model, e.Version, Hour: Hour(e.At))).ToList();
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var batch = group.ToList();
            var rows = batch.Sum(e => e.Predictions.Count);
            var written = false;
            try
            {
                var table = ToTable(batch);
                using var parquet = new MemoryStream();
                await DatasetSnapshot.WriteParquetAsync(table, parquet, ct).ConfigureAwait(false);
                var name = $"{BlobLayout.PredictionHourPrefix(group.Key.Model, group.Key.Hour)}{time.GetUtcNow():yyyyMMddTHHmmssfff}-v{group.Key.Version}-{Guid.NewGuid():N}.parquet";
                // The stream's own buffer, not a copy of it: a batch's file is the largest transient the writer holds.
                await storage.Predictions.GetBlobClient(name).UploadAsync(new BinaryData(parquet.GetBuffer().AsMemory(0, (int)parquet.Length)), ct).ConfigureAwait(false);
                PlatformTelemetry.LoggedRows.Add(rows, new KeyValuePair<string, object?>("model", group.Key.Model));
                written = true;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return groups.Skip(g).SelectMany(x => x).ToList();
            }
            catch (Exception e)
            {
                Drop(group.Key.Model, rows, "storage");
                LogFailure(e, $"Prediction log write failed; {rows} rows of {group.Key.Model} dropped ({Dropped} dropped so far)");
            }

            Interlocked.Add(ref _bufferedBytes, -batch.Sum(e => e.EstimatedBytes));
            if (!written)
            {
                continue;
            }

            try
            {
                await labeling.EnqueueUncertainAsync(batch, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || ct.IsCancellationRequested)
            {
                // The rows are logged; only their place in the labeling queue is lost.
                LogFailure(e, $"Queueing uncertain predictions of {group.Key.Model} for labeling failed");
            }
        }

        return [];
    }

    private void LogFailure(Exception e, string message)
    {
        var now = time.GetUtcNow();
        if (now - _lastFailureLog > TimeSpan.FromSeconds(30))
        {
            // One warning per 30 s: an outage must not flood the logs it is being reported in.
            _lastFailureLog = now;
            logger.LogWarning(e, "{Message}", message);
        }
    }

    private void Drop(string model, int rows, string reason)
    {
        Interlocked.Add(ref _dropped, rows);
        PlatformTelemetry.DroppedRows.Add(rows, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("reason", reason));
    }

    private static DateTimeOffset Hour(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, at.UtcDateTime.Day, at.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);

    /// <summary>Inputs as they were scored, then the outputs and identifiers, in one table.</summary>
    private static TabularDataset ToTable(List<PredictionLogEntry> batch)
    {
        var first = batch[0].Inputs;
        var n = batch.Sum(e => e.Predictions.Count);
        var columns = new List<DataColumn>();
        foreach (var c in first.Columns)
        {
            if (c.Kind == ColumnKind.Float)
            {
                var values = new float[n];
                var offset = 0;
                foreach (var e in batch)
                {
                    e.Inputs[c.Name].FloatValues.CopyTo(values, offset);
                    offset += e.Predictions.Count;
                }

                columns.Add(DataColumn.Float(c.Name, values));
            }
            else
            {
                var values = new string?[n];
                var offset = 0;
                foreach (var e in batch)
                {
                    e.Inputs[c.Name].TextValues.CopyTo(values, offset);
                    offset += e.Predictions.Count;
                }

                columns.Add(DataColumn.Text(c.Name, values));
            }
        }

        var ids = new string?[n];
        var requests = new string?[n];
        var stamps = new string?[n];
        var versions = new string?[n];
        var labels = new string?[n];
        var scores = new float[n];
        var probabilities = new string?[n];
        var i = 0;
        foreach (var e in batch)
        {
            var stamp = e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            var version = e.Version.ToString(CultureInfo.InvariantCulture);
            foreach (var p in e.Predictions)
            {
                ids[i] = p.Id;
                requests[i] = e.RequestId;
                stamps[i] = stamp;
                versions[i] = version;
                labels[i] = p.Label;
                scores[i] = p.Score is { } s ? (float)s : float.NaN;
                probabilities[i] = p.Probabilities is null ? null : JsonSerializer.Serialize(p.Probabilities, PlatformJson.Options);
                i++;
            }
        }

        columns.Add(DataColumn.Text(LoggedColumns.Id, ids));
        columns.Add(DataColumn.Text(LoggedColumns.RequestId, requests));
        columns.Add(DataColumn.Text(LoggedColumns.Timestamp, stamps));
        columns.Add(DataColumn.Text(LoggedColumns.Version, versions));
        columns.Add(DataColumn.Text(LoggedColumns.Label, labels));
        columns.Add(DataColumn.Float(LoggedColumns.Score, scores));
        columns.Add(DataColumn.Text(LoggedColumns.Probabilities, probabilities));
        return new TabularDataset(columns);
    }
}
