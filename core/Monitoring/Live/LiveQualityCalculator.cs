using System.Globalization;
using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;
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
                var joined = new List<(string Label, ModelOutputRow Output, IReadOnlyList<string>? ClassOrder)>();
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
                            var (output, classes) = Output(batch.Table, r);
                            joined.Add((label, output, classes));
                        }
                    }
                }

                result.Add(new LiveQuality(version.Key, window, logged, joined.Count, logged == 0 ? 0 : (double)joined.Count / logged, Metrics(spec, joined)));
            }
        }

        return result;
    }

    private static (ModelOutputRow Output, IReadOnlyList<string>? ClassOrder) Output(TabularDataset t, int r)
    {
        var score = t[LoggedColumns.Score].FloatValues[r];
        var probabilities = t[LoggedColumns.Probabilities].TextValues[r] is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, float>>(json, PlatformJson.Options)
            : null;
        return (new ModelOutputRow(t[LoggedColumns.Label].TextValues[r], float.IsNaN(score) ? null : score, probabilities?.Values.ToArray()), probabilities?.Keys.ToList());
    }

    private static IReadOnlyDictionary<string, double> Metrics(ModelSpec spec, List<(string Label, ModelOutputRow Output, IReadOnlyList<string>? ClassOrder)> joined)
    {
        if (joined.Count == 0)
        {
            return new Dictionary<string, double>();
        }

        var outputs = joined.Select(j => j.Output).ToList();
        IReadOnlyDictionary<string, double> metrics = spec.Task switch
        {
            ModelTask.Binary => ModelEvaluator.Binary(joined.Select(j => j.Label == "true" ? 1f : 0f).ToList(), outputs),
            ModelTask.Regression => ModelEvaluator.Regression(joined.Select(j => float.Parse(j.Label, CultureInfo.InvariantCulture)).ToList(), outputs),
            _ => ModelEvaluator.Multiclass(joined.Select(j => (string?)j.Label).ToList(), outputs, ClassOrder(joined, spec.Task)),
        };

        // NaN (e.g. AUC with one class among the labels so far) means "not measurable yet": leave it out.
        return metrics.Where(kv => double.IsFinite(kv.Value)).ToDictionary();
    }

    // Probabilities were logged as {class: p} in the model's class order, which JSON and Dictionary both keep.
    private static IReadOnlyList<string> ClassOrder(List<(string Label, ModelOutputRow Output, IReadOnlyList<string>? ClassOrder)> joined, ModelTask task) =>
        task == ModelTask.Multiclass ? joined.Select(j => j.ClassOrder).FirstOrDefault(c => c is not null) ?? [] : [];
}
