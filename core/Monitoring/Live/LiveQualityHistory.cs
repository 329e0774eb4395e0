using System.Globalization;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Live;

/// <summary>
/// Live quality over time: the prediction log and the labels of a range are read once, each logged prediction goes
/// to the bucket of its logged time, and each bucket's labeled predictions are scored with the holdout's evaluator.
/// </summary>
public sealed class LiveQualityHistory(PredictionLogReader reader, FeedbackService feedback, ModelRegistry registry)
{
    public async Task<LiveQualitySeries> ComputeAsync(string model, ModelSpec spec, LiveQualityRange range, int minLabels, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minLabels, 1);
        var batches = await reader.ReadAsync(model, range.From, range.To, null, ct).ConfigureAwait(false);
        // Labels are filed by their prediction's hour, so the same range finds every label of these predictions.
        var labels = await feedback.LabelsAsync(model, range.From, range.To, ct).ConfigureAwait(false);
        var names = MetricNames.For(spec.Task);
        var count = (int)range.BucketCount;

        var versions = new List<LiveQualityVersionSeries>();
        foreach (var version in batches.GroupBy(b => b.Version).OrderBy(g => g.Key))
        {
            var logged = new long[count];
            var joined = new List<LabeledOutput>?[count];
            foreach (var batch in version)
            {
                var ids = batch.Table[LoggedColumns.Id].TextValues;
                for (var r = 0; r < batch.Table.RowCount; r++)
                {
                    var i = range.IndexOf(PredictionLogReader.TimestampOf(batch, r));
                    if (i < 0)
                    {
                        continue;
                    }

                    logged[i]++;
                    if (labels.TryGetValue(ids[r]!, out var label))
                    {
                        (joined[i] ??= []).Add(LiveMetrics.Join(batch.Table, r, label));
                    }
                }
            }

            if (logged.All(n => n == 0))
            {
                continue;
            }

            var buckets = Enumerable.Range(0, count).Select(i => Bucket(range, i, logged[i], joined[i] ?? [], spec.Task, names, minLabels)).ToList();
            var card = await registry.GetCardAsync(model, version.Key, ct).ConfigureAwait(false);
            versions.Add(new LiveQualityVersionSeries(version.Key, card?.Metrics, logged.Sum(), buckets.Sum(b => b.Labeled), buckets));
        }

        return new LiveQualitySeries(model, spec.Task, range.From, range.To, range.Bucket, minLabels, names, versions);
    }

    private static LiveQualityBucket Bucket(LiveQualityRange range, int i, long logged, List<LabeledOutput> joined, ModelTask task, IReadOnlyList<string> names, int minLabels)
    {
        var (from, to) = (range.StartOf(i), range.EndOf(i));
        double? coverage = logged == 0 ? null : (double)joined.Count / logged;
        var unmeasured = logged == 0 ? "no predictions logged"
            : joined.Count == 0 ? "no labels yet"
            : joined.Count < minLabels ? string.Create(CultureInfo.InvariantCulture, $"{joined.Count} labels, fewer than {minLabels}")
            : null;
        if (unmeasured is not null)
        {
            return new LiveQualityBucket(from, to, logged, joined.Count, coverage, names.ToDictionary(n => n, _ => (double?)null), unmeasured);
        }

        var metrics = LiveMetrics.Evaluate(task, joined);
        var values = names.ToDictionary(n => n, n => metrics.TryGetValue(n, out var v) && double.IsFinite(v) ? v : (double?)null);
        var undefined = values.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList();
        return new LiveQualityBucket(from, to, logged, joined.Count, coverage, values, undefined.Count == 0 ? null : Undefined(undefined));
    }

    private static string Undefined(List<string> metrics) =>
        metrics is [MetricNames.Auc] ? "auc needs both classes among the labels" : $"{string.Join(", ", metrics)} undefined on these labels";
}
