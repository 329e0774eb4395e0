using System.Globalization;
using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Live;

/// <summary>Live metrics of labeled logged predictions, with the same evaluator as the holdout.</summary>
public static class LiveMetrics
{
    /// <summary>The logged output of row <paramref name="r"/> of a prediction log file, with its joined label.</summary>
    public static LabeledOutput Join(TabularDataset log, int r, string label)
    {
        var score = log[LoggedColumns.Score].FloatValues[r];
        var probabilities = log[LoggedColumns.Probabilities].TextValues[r] is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, float>>(json, PlatformJson.Options)
            : null;
        var output = new ModelOutputRow(log[LoggedColumns.Label].TextValues[r], float.IsNaN(score) ? null : score, probabilities?.Values.ToArray());
        return new LabeledOutput(label, output, probabilities?.Keys.ToList());
    }

    /// <summary>The task's metrics over <paramref name="joined"/> (at least one row); NaN where one is undefined (AUC with one class).</summary>
    public static IReadOnlyDictionary<string, double> Evaluate(ModelTask task, IReadOnlyList<LabeledOutput> joined)
    {
        var outputs = joined.Select(j => j.Output).ToList();
        return task switch
        {
            ModelTask.Binary => ModelEvaluator.Binary(joined.Select(j => j.Label == "true" ? 1f : 0f).ToList(), outputs),
            ModelTask.Regression => ModelEvaluator.Regression(joined.Select(j => float.Parse(j.Label, CultureInfo.InvariantCulture)).ToList(), outputs),
            _ => ModelEvaluator.Multiclass(joined.Select(j => (string?)j.Label).ToList(), outputs, ClassOrder(joined)),
        };
    }

    // Probabilities were logged as {class: p} in the model's class order, which JSON and Dictionary both keep.
    private static IReadOnlyList<string> ClassOrder(IReadOnlyList<LabeledOutput> joined) =>
        joined.Select(j => j.ClassOrder).FirstOrDefault(c => c is not null) ?? [];
}
