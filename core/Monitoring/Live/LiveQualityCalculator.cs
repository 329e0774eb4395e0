using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Live;

/// <summary>
/// Rolling live metrics per version: logged predictions joined with the labels that have arrived, scored with
/// the same evaluator as the holdout, over each of the spec's quality windows.
/// </summary>
public sealed class LiveQualityCalculator(PredictionLogReader reader, FeedbackService feedback, TimeProvider time)
{
    public async Task<IReadOnlyList<LiveQuality>> ComputeAsync(string model, ModelSpec spec, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var windows = spec.Monitoring.QualityWindows.Order().ToList();
        if (windows.Count == 0)
        {
            return [];
        }

        var from = now - windows[^1];
        var batches = await reader.ReadAsync(model, from, now, null, ct).ConfigureAwait(false);
        var labels = await feedback.LabelsAsync(model, from, now, ct).ConfigureAwait(false);

        var result = new List<LiveQuality>();
        foreach (var version in batches.GroupBy(b => b.Version).OrderBy(g => g.Key))
        {
            foreach (var window in windows)
            {
                var start = now - window;
                var logged = 0L;
                var joined = new List<LabeledOutput>();
                foreach (var batch in version)
                {
                    var ids = batch.Table[LoggedColumns.Id].TextValues;
                    for (var r = 0; r < batch.Table.RowCount; r++)
                    {
                        if (PredictionLogReader.TimestampOf(batch, r) < start)
                        {
                            continue;
                        }

                        logged++;
                        if (labels.TryGetValue(ids[r]!, out var label))
                        {
                            joined.Add(LiveMetrics.Join(batch.Table, r, label));
                        }
                    }
                }

                result.Add(new LiveQuality(version.Key, window, logged, joined.Count, logged == 0 ? 0 : (double)joined.Count / logged, Metrics(spec, joined)));
            }
        }

        return result;
    }

    private static IReadOnlyDictionary<string, double> Metrics(ModelSpec spec, List<LabeledOutput> joined) =>
        // NaN (e.g. AUC with one class among the labels so far) means "not measurable yet": leave it out.
        joined.Count == 0 ? new Dictionary<string, double>() : LiveMetrics.Evaluate(spec.Task, joined).Where(kv => double.IsFinite(kv.Value)).ToDictionary();
}
