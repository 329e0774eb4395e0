using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Specs;

namespace Serverless.Core.Registry;

/// <summary>Reliability bins and expected calibration error (Guo et al. 2017, equal-width bins) from holdout outputs.</summary>
public static class CalibrationCurve
{
    public const int Bins = 10;

    private static readonly double[] Quantiles = [0.05, 0.25, 0.5, 0.75, 0.95];

    public static ModelCardCalibration? Measure(ModelTask task, DataColumn labels, IReadOnlyList<ModelOutputRow> outputs, IReadOnlyList<string>? classLabels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0) return null;
        switch (task)
        {
            case ModelTask.Binary:
                var y = labels.FloatValues;
                return Reliability(ModelCardCalibration.Probability, outputs.Count, i => outputs[i].Score ?? double.NaN, i => y[i] > 0.5f);
            case ModelTask.Multiclass when classLabels is not null:
                var truth = labels.TextValues;
                return Reliability(ModelCardCalibration.Confidence, outputs.Count,
                    i => outputs[i].Probabilities is { Length: > 0 } p ? p.Max() : double.NaN,
                    i => outputs[i].Probabilities is { Length: > 0 } p && classLabels[Array.IndexOf(p, p.Max())] == truth[i]);
            case ModelTask.Regression:
                var target = labels.FloatValues;
                var residuals = Enumerable.Range(0, outputs.Count).Select(i => (double)target[i] - (outputs[i].Score ?? double.NaN)).Where(double.IsFinite).Order().ToArray();
                if (residuals.Length == 0) return null;
                return new ModelCardCalibration(ModelCardCalibration.Residual, [], null,
                    Quantiles.ToDictionary(q => $"p{q * 100:00}", q => Quantile(residuals, q), StringComparer.Ordinal));
            default:
                return null;
        }
    }

    private static ModelCardCalibration Reliability(string kind, int n, Func<int, double> predicted, Func<int, bool> hit)
    {
        var count = new long[Bins];
        var sumPredicted = new double[Bins];
        var hits = new long[Bins];
        for (var i = 0; i < n; i++)
        {
            var p = predicted(i);
            if (!double.IsFinite(p)) continue;
            var b = Math.Clamp((int)(p * Bins), 0, Bins - 1);
            count[b]++;
            sumPredicted[b] += p;
            if (hit(i)) hits[b]++;
        }

        var total = count.Sum();
        var ece = 0.0;
        var bins = new CalibrationBin[Bins];
        for (var b = 0; b < Bins; b++)
        {
            double? mean = null, observed = null;
            if (count[b] > 0)
            {
                mean = sumPredicted[b] / count[b];
                observed = (double)hits[b] / count[b];
                ece += (double)count[b] / total * Math.Abs(observed.Value - mean.Value);
            }

            bins[b] = new CalibrationBin((double)b / Bins, (double)(b + 1) / Bins, count[b], mean, observed);
        }

        return new ModelCardCalibration(kind, bins, total == 0 ? null : ece);
    }

    /// <summary>Linear interpolation between order statistics (numpy's default).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}
