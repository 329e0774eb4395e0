using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Evaluation;

/// <summary>
/// Holdout metrics from labels and model outputs, computed here (not by ML.NET) so a champion and a candidate are
/// scored the same way from their ONNX outputs. Names from <see cref="MetricNames"/>.
/// </summary>
public static class ModelEvaluator
{
    /// <summary>Probabilities are clipped to [Epsilon, 1 - Epsilon] for log-loss.</summary>
    public const double Epsilon = 1e-15;

    /// <summary>A binary prediction is positive when P(true) ≥ this.</summary>
    public const double Threshold = 0.5;

    /// <param name="task">Which metric set.</param>
    /// <param name="labels">Binary: Float 1/0. Regression: Float. Multiclass: Text.</param>
    /// <param name="predictions">One output per label, same order.</param>
    /// <param name="classLabels">Multiclass: the class of each probability slot (for log-loss).</param>
    public static IReadOnlyDictionary<string, double> Evaluate(
        ModelTask task, DataColumn labels, IReadOnlyList<ModelOutputRow> predictions, IReadOnlyList<string>? classLabels = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return task switch
        {
            ModelTask.Binary => Binary(labels.FloatValues, predictions),
            ModelTask.Multiclass => Multiclass(labels.TextValues, predictions,
                classLabels ?? throw new ArgumentNullException(nameof(classLabels), "Multiclass log-loss needs the class labels.")),
            ModelTask.Regression => Regression(labels.FloatValues, predictions),
            _ => throw new ArgumentOutOfRangeException(nameof(task)),
        };
    }

    /// <summary>AUC (rank-based, ties get average ranks; NaN with one class only), accuracy, F1, precision, recall, log-loss.</summary>
    public static IReadOnlyDictionary<string, double> Binary(IReadOnlyList<float> labels, IReadOnlyList<ModelOutputRow> predictions)
    {
        CheckLengths(labels.Count, predictions);
        var n = labels.Count;
        var p = new double[n];
        var y = new bool[n];
        for (var i = 0; i < n; i++)
        {
            p[i] = predictions[i].Score ?? throw new ArgumentException($"Prediction {i} has no probability.", nameof(predictions));
            y[i] = labels[i] > 0.5f;
        }

        int tp = 0, fp = 0, tn = 0, fn = 0;
        var logLoss = 0.0;
        for (var i = 0; i < n; i++)
        {
            var predicted = p[i] >= Threshold;
            if (predicted && y[i]) tp++;
            else if (predicted) fp++;
            else if (y[i]) fn++;
            else tn++;
            // Clip the probability given to the observed outcome, so a certain miss costs exactly −ln(Epsilon).
            logLoss -= Math.Log(Math.Clamp(y[i] ? p[i] : 1 - p[i], Epsilon, 1 - Epsilon));
        }

        var precision = Ratio(tp, tp + fp);
        var recall = Ratio(tp, tp + fn);
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.Auc] = Auc(p, y),
            [MetricNames.Accuracy] = Ratio(tp + tn, n),
            [MetricNames.F1] = F1(precision, recall),
            [MetricNames.Precision] = precision,
            [MetricNames.Recall] = recall,
            [MetricNames.LogLoss] = logLoss / n,
        };
    }

    /// <summary>Accuracy, macro-F1 (over classes seen in labels or predictions), log-loss of the true class's probability.</summary>
    public static IReadOnlyDictionary<string, double> Multiclass(
        IReadOnlyList<string?> labels, IReadOnlyList<ModelOutputRow> predictions, IReadOnlyList<string> classLabels)
    {
        CheckLengths(labels.Count, predictions);
        var n = labels.Count;
        var slot = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < classLabels.Count; k++) slot.TryAdd(classLabels[k], k);

        var tp = new Dictionary<string, int>(StringComparer.Ordinal);
        var actual = new Dictionary<string, int>(StringComparer.Ordinal);
        var predicted = new Dictionary<string, int>(StringComparer.Ordinal);
        var correct = 0;
        var logLoss = 0.0;
        for (var i = 0; i < n; i++)
        {
            var truth = labels[i] ?? string.Empty;
            var guess = predictions[i].Label ?? string.Empty;
            Increment(actual, truth);
            Increment(predicted, guess);
            if (truth == guess)
            {
                correct++;
                Increment(tp, truth);
            }

            // A true class the model does not know has probability 0 (clipped).
            var probs = predictions[i].Probabilities ?? throw new ArgumentException($"Prediction {i} has no probabilities.", nameof(predictions));
            var q = slot.TryGetValue(truth, out var k) && k < probs.Length ? probs[k] : 0.0;
            logLoss -= Math.Log(Math.Clamp(q, Epsilon, 1 - Epsilon));
        }

        var classes = actual.Keys.Union(predicted.Keys).ToList();
        var macroF1 = classes.Average(c =>
        {
            var t = tp.GetValueOrDefault(c);
            return F1(Ratio(t, predicted.GetValueOrDefault(c)), Ratio(t, actual.GetValueOrDefault(c)));
        });
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.Accuracy] = Ratio(correct, n),
            [MetricNames.MacroF1] = macroF1,
            [MetricNames.LogLoss] = logLoss / n,
        };
    }

    /// <summary>RMSE, MAE, R² (1 − SSres/SStot; with constant labels 1 if perfect else 0, as scikit-learn does).</summary>
    public static IReadOnlyDictionary<string, double> Regression(IReadOnlyList<float> labels, IReadOnlyList<ModelOutputRow> predictions)
    {
        CheckLengths(labels.Count, predictions);
        var n = labels.Count;
        var mean = labels.Average(v => (double)v);
        double sse = 0, sae = 0, sst = 0;
        for (var i = 0; i < n; i++)
        {
            var e = labels[i] - (double)(predictions[i].Score ?? throw new ArgumentException($"Prediction {i} has no score.", nameof(predictions)));
            sse += e * e;
            sae += Math.Abs(e);
            sst += (labels[i] - mean) * (labels[i] - mean);
        }

        var r2 = sst > 0 ? 1 - (sse / sst) : sse == 0 ? 1.0 : 0.0;
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.Rmse] = Math.Sqrt(sse / n),
            [MetricNames.Mae] = sae / n,
            [MetricNames.RSquared] = r2,
        };
    }

    /// <summary>Mann–Whitney U / (positives × negatives), with average ranks for tied scores.</summary>
    internal static double Auc(double[] scores, bool[] positive)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var averageRank = ((start + 1) + (end + 1)) / 2.0; // ranks are 1-based
            for (var j = start; j <= end; j++)
            {
                if (!positive[order[j]]) continue;
                positiveRankSum += averageRank;
                positives++;
            }

            start = end + 1;
        }

        long negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static double F1(double precision, double recall) =>
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);

    private static void Increment(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static void CheckLengths(int labels, IReadOnlyList<ModelOutputRow> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (labels != predictions.Count)
        {
            throw new ArgumentException($"{labels} labels but {predictions.Count} predictions.", nameof(predictions));
        }

        if (labels == 0)
        {
            throw new ArgumentException("No rows to evaluate.", nameof(predictions));
        }
    }
}
