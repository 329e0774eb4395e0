using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Core.Explanations;

/// <summary>
/// Model-agnostic global importance (Breiman 2001; Fisher, Rudin and Dominici 2019): how much the holdout metric
/// worsens when one input column's values are shuffled across rows, breaking its link to the label. Works for every
/// trainer (the MLP included) since it needs only predictions; columns are permuted whole (one-hot groups together).
/// </summary>
public static class PermutationImportance
{
    /// <summary>Holdout rows used at most (the first ones, in dataset order): it runs in the train step, on every run.</summary>
    public const int MaxRows = 2_000;

    /// <summary>Shuffles per column, averaged.</summary>
    public const int Repeats = 2;

    /// <summary>The metric importance is measured in: the spec's champion-comparison metric, else AUC / log-loss / RMSE by task.</summary>
    public static string MetricFor(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Gates.Comparison?.Metric ?? spec.Task switch
        {
            ModelTask.Binary => MetricNames.Auc,
            ModelTask.Multiclass => MetricNames.LogLoss,
            _ => MetricNames.Rmse,
        };
    }

    /// <summary>Per input column: the metric's loss (positive = worse) when that column is shuffled, mean of <see cref="Repeats"/> seeded shuffles.</summary>
    /// <param name="model">The exported model.</param>
    /// <param name="spec">Task, label, features (the columns permuted) and the metric (<see cref="MetricFor"/>).</param>
    /// <param name="holdout">Holdout rows with the label.</param>
    /// <param name="classLabels">Multiclass: class order of the probabilities.</param>
    public static IReadOnlyDictionary<string, double> Measure(OnnxModel model, ModelSpec spec, TabularDataset holdout, IReadOnlyList<string>? classLabels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(holdout);
        var rows = holdout.RowCount <= MaxRows ? holdout : holdout.Select([.. Enumerable.Range(0, MaxRows)]);
        var metric = MetricFor(spec);
        var sign = MetricNames.HigherIsBetter(metric) ? 1 : -1;
        double Score(TabularDataset data) => ModelEvaluator.Evaluate(spec.Task, rows[spec.Label], model.Predict(data), classLabels)[metric];

        var baseline = Score(rows);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var f = 0; f < spec.Features.Count; f++)
        {
            var name = spec.Features[f].Name;
            double loss = 0;
            for (var r = 0; r < Repeats; r++)
            {
                // Seeded per column and repeat: the same model and holdout give the same figures.
                var order = Enumerable.Range(0, rows.RowCount).ToArray();
                new Random(unchecked((spec.Holdout.Seed * 1_000_003) + (f * Repeats) + r) & int.MaxValue).Shuffle(order);
                var shuffled = new TabularDataset([.. rows.Columns.Select(c => c.Name == name ? c.Select(order) : c)]);
                loss += sign * (baseline - Score(shuffled));
            }

            result[name] = loss / Repeats;
        }

        return result;
    }
}
