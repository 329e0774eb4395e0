using System.Globalization;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Scoring;

namespace Serverless.Core.Monitoring.Feedback;

/// <summary>
/// Joins observed labels to logged predictions. Each id must name a logged prediction (its hour folder is read
/// from the id itself) made no longer than the spec's feedback window before the label arrives (by this server's
/// clock: a client's <c>observedAt</c> cannot extend the window, and must lie between the prediction and now);
/// accepted labels are stored next to that hour's predictions, and rejected ones are reported back, one by one.
/// </summary>
public sealed class FeedbackService(PlatformStorage storage, PredictionLogReader reader, LabelingQueue labeling, TimeProvider time, IOptions<FeedbackOptions> options)
{
    /// <summary>
    /// A bulk submission (a dropped file) with no hour limit: submitted in chunks whose ids lie in at most
    /// <see cref="FeedbackOptions.MaxLogHoursPerRequest"/> log hours each, so only one chunk's log ids are held at a time.
    /// Rejections keep their positions in <paramref name="items"/>.
    /// </summary>
    public async Task<FeedbackResult> SubmitBulkAsync(string model, ModelSpec spec, IReadOnlyList<FeedbackItem> items, CancellationToken ct)
    {
        var max = options.Value.MaxLogHoursPerRequest;
        var chunks = new List<List<int>>();
        var hours = new HashSet<DateTimeOffset>();
        foreach (var group in Enumerable.Range(0, items.Count).GroupBy(i => PredictionIds.TryGetTimestamp(items[i].PredictionId, out var at) ? PredictionLogReader.Floor(at) : DateTimeOffset.MinValue))
        {
            if (chunks.Count == 0 || hours.Count >= max)
            {
                chunks.Add([]);
                hours.Clear();
            }

            chunks[^1].AddRange(group);
            hours.Add(group.Key);
        }

        var accepted = 0;
        var rejected = new List<FeedbackRejection>();
        foreach (var chunk in chunks)
        {
            var result = await SubmitAsync(model, spec, chunk.Select(i => items[i]).ToList(), ct).ConfigureAwait(false);
            accepted += result.Accepted;
            rejected.AddRange(result.Rejected.Select(r => r with { Index = chunk[r.Index] }));
        }

        return new FeedbackResult(items.Count, accepted, [.. rejected.OrderBy(r => r.Index)]);
    }

    public async Task<FeedbackResult> SubmitAsync(string model, ModelSpec spec, IReadOnlyList<FeedbackItem> items, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var rejected = new List<FeedbackRejection>();
        var accepted = new List<(string Id, DateTimeOffset Hour, string Label, DateTimeOffset ObservedAt)>();
        var known = new Dictionary<DateTimeOffset, HashSet<string>>();

        var skew = options.Value.ClockSkew;
        var maxHours = options.Value.MaxLogHoursPerRequest;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (!PredictionIds.TryGetTimestamp(item.PredictionId, out var predictedAt, out var idProblem))
            {
                rejected.Add(new(i, item.PredictionId, FeedbackReasons.InvalidId, idProblem));
                continue;
            }

            if (predictedAt > now + skew)
            {
                rejected.Add(new(i, item.PredictionId, FeedbackReasons.InvalidId,
                    $"The id's embedded time {Stamp(predictedAt)} is later than now ({Stamp(now)}); it was not made by predict."));
                continue;
            }

            if (!FeedbackLabel.TryNormalize(spec, item.Label, out var label, out var error))
            {
                rejected.Add(new(i, item.PredictionId, FeedbackReasons.InvalidLabel, error));
                continue;
            }

            if (item.ObservedAt is { } claimed && (claimed < predictedAt || claimed > now + skew))
            {
                rejected.Add(new(i, item.PredictionId, FeedbackReasons.InvalidObservedAt, claimed < predictedAt
                    ? $"observedAt {Stamp(claimed)} is before the prediction was made ({Stamp(predictedAt)})."
                    : $"observedAt {Stamp(claimed)} is in the future (now {Stamp(now)}, allowed clock skew {skew})."));
                continue;
            }

            // The window is measured to the label's arrival, which the client cannot set.
            if (now - predictedAt > spec.Monitoring.FeedbackWindow)
            {
                rejected.Add(new(i, item.PredictionId, FeedbackReasons.Late,
                    $"Received {(now - predictedAt).TotalDays:F1} days after the prediction; the window is {spec.Monitoring.FeedbackWindow.TotalDays:F0} days."));
                continue;
            }

            var observedAt = item.ObservedAt ?? now;
            var hour = PredictionLogReader.Floor(predictedAt);
            if (!known.TryGetValue(hour, out var ids))
            {
                if (known.Count >= maxHours)
                {
                    rejected.Add(new(i, item.PredictionId, FeedbackReasons.TooManyHours,
                        $"This request's ids already span {maxHours} prediction-log hours, the most one request may look up (Feedback:MaxLogHoursPerRequest); send this label in another request."));
                    continue;
                }

                ids = [];
                foreach (var batch in await reader.ReadHourAsync(model, hour, null, ct).ConfigureAwait(false))
                {
                    ids.UnionWith(batch.Table[LoggedColumns.Id].TextValues!);
                }

                known[hour] = ids;
            }

            if (!ids.Contains(item.PredictionId!))
            {
                rejected.Add(new(i, item.PredictionId, FeedbackReasons.UnknownId, "No logged prediction has this id (unknown, not sampled for logging, or not yet written)."));
                continue;
            }

            accepted.Add((item.PredictionId!, hour, label, observedAt));
        }

        foreach (var group in accepted.GroupBy(a => a.Hour))
        {
            var rows = group.ToList();
            var table = new TabularDataset(
            [
                DataColumn.Text(LoggedColumns.Id, rows.Select(r => (string?)r.Id).ToArray()),
                DataColumn.Text(LoggedColumns.Observed, rows.Select(r => (string?)r.Label).ToArray()),
                DataColumn.Text(LoggedColumns.ObservedAt, rows.Select(r => (string?)r.ObservedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).ToArray()),
                DataColumn.Text(LoggedColumns.ReceivedAt, rows.Select(_ => (string?)now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).ToArray()),
            ]);
            using var parquet = new MemoryStream();
            await DatasetSnapshot.WriteParquetAsync(table, parquet, ct).ConfigureAwait(false);
            var name = $"{BlobLayout.FeedbackHourPrefix(model, group.Key)}{now:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.parquet";
            await storage.Feedback.GetBlobClient(name).UploadAsync(new BinaryData(parquet.ToArray()), ct).ConfigureAwait(false);
        }

        await labeling.RemoveAsync(model, accepted.Select(a => a.Id), ct).ConfigureAwait(false);
        return new FeedbackResult(items.Count, accepted.Count, rejected);
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Labels per prediction id for predictions made in [<paramref name="from"/>, <paramref name="to"/>]; the latest received wins.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LabelsAsync(string model, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var labels = new Dictionary<string, (string Label, string ReceivedAt)>(StringComparer.Ordinal);
        for (var hour = PredictionLogReader.Floor(from); hour <= to; hour = hour.AddHours(1))
        {
            await foreach (var item in storage.Feedback.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = BlobLayout.FeedbackHourPrefix(model, hour) }, ct).ConfigureAwait(false))
            {
                var content = await storage.Feedback.GetBlobClient(item.Name).DownloadContentAsync(ct).ConfigureAwait(false);
                using var stream = content.Value.Content.ToStream();
                var table = await DatasetSnapshot.ReadParquetAsync(stream, ct).ConfigureAwait(false);
                var ids = table[LoggedColumns.Id].TextValues;
                var observed = table[LoggedColumns.Observed].TextValues;
                var received = table[LoggedColumns.ReceivedAt].TextValues;
                for (var r = 0; r < table.RowCount; r++)
                {
                    if (!labels.TryGetValue(ids[r]!, out var existing) || string.CompareOrdinal(received[r], existing.ReceivedAt) >= 0)
                    {
                        labels[ids[r]!] = (observed[r]!, received[r]!);
                    }
                }
            }
        }

        return labels.ToDictionary(kv => kv.Key, kv => kv.Value.Label, StringComparer.Ordinal);
    }
}
