using System.Diagnostics;
using System.Globalization;
using Serverless.Core.Evaluation;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training;

namespace Serverless.Bench;

/// <summary>
/// Issue 13's sweep table: per dataset (the churn sample, the 1M generator, a generated multiclass and a generated
/// regression set), all on the platform's own train/holdout split and scored by <see cref="ModelEvaluator"/>: LightGBM
/// with the platform's default hyperparameters, scikit-learn's HistGradientBoosting with its defaults, and the sweep
/// (fixed trial budget, best parameters refitted on the whole training split, scored on the holdout), with the goal
/// that the sweep beats scikit-learn on every dataset.
/// </summary>
internal static class SweepBench
{
    public const string Mode = "sweep";
    private const string Area = Mode;

    /// <summary>Trials per dataset; the 1M set gets fewer (one default fit there takes ~20 s on one core).</summary>
    private const int Trials = 20;
    private const int TrialsAt1M = 6;

    public static IReadOnlyList<Measurement> Run(string root)
    {
        var results = new List<Measurement>();
        Func<SweepDataset>[] datasets =
        [
            () => SweepDataset.Churn(root, Trials),
            () => SweepDataset.Multiclass(Trials),
            () => SweepDataset.Regression(Trials),
            () => SweepDataset.Synthetic1M(TrialsAt1M),
        ];
        foreach (var load in datasets)
        {
            var dataset = load();
            Console.WriteLine($"Sweep area: {dataset.Name}, {dataset.Data.RowCount:N0} rows, metric {dataset.Metric}...");
            results.AddRange(Rows(dataset));
        }

        return results;
    }

    private static IEnumerable<Measurement> Rows(SweepDataset dataset)
    {
        var (name, metric) = (dataset.Name, dataset.Metric);
        var defaults = DefaultLightGbm(dataset);
        yield return new Measurement(Area, $"{name}: default LightGBM holdout {metric}", defaults.Metrics[metric], "",
            Note: $"{Others(defaults.Metrics, metric)}; split + fit + export {defaults.Seconds:F1} s (platform defaults: 100 trees, 31 leaves, learning rate 0.1, min 20 per leaf)");

        var sklearn = SweepSklearnBaseline.Fit(dataset, TimeSpan.FromMinutes(10));
        if (sklearn.Skipped is { } why)
        {
            yield return Measurement.Skipped(Area, $"{name}: sklearn HistGradientBoosting defaults holdout {metric}", why);
            yield break;
        }

        yield return new Measurement(Area, $"{name}: sklearn HistGradientBoosting defaults holdout {metric}", sklearn.Metrics[metric], "",
            Note: $"{Others(sklearn.Metrics, metric)}; fit {sklearn.Seconds:F1} s, 1 OpenMP thread, {sklearn.Iterations} iterations (early stopping on by default above 10k rows), scikit-learn {sklearn.Version}");
        yield return Measurement.Skipped(Area, $"{name}: sweep ({dataset.Trials} trials) beats sklearn on {metric}", "not available: the sweep has not landed on this branch");
    }

    private sealed record Fitted(IReadOnlyDictionary<string, double> Metrics, double Seconds);

    private static Fitted DefaultLightGbm(SweepDataset dataset)
    {
        var spec = dataset.Spec with { Trainer = dataset.Spec.Trainer with { Hyperparameters = null } };
        var sw = Stopwatch.StartNew();
        var trained = new MlNetTrainer().Train(spec, dataset.Data, CancellationToken.None);
        var seconds = sw.Elapsed.TotalSeconds;
        return new(Evaluate(spec, trained), seconds);
    }

    private static IReadOnlyDictionary<string, double> Evaluate(ModelSpec spec, TrainingResult trained)
    {
        using var onnx = new OnnxModel(trained.Onnx, spec.Task, trained.ClassLabels);
        return ModelEvaluator.Evaluate(spec.Task, trained.Holdout[spec.Label], onnx.Predict(trained.Holdout), onnx.ClassLabels);
    }

    private static string Others(IReadOnlyDictionary<string, double> metrics, string shown) =>
        string.Join(", ", metrics.Where(m => m.Key != shown).Select(m => $"{m.Key} {m.Value.ToString("F4", CultureInfo.InvariantCulture)}"));
}
