using System.Diagnostics;
using System.Globalization;
using Serverless.Core.Evaluation;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Bench;

/// <summary>
/// Issue 13's sweep table: per dataset (the churn sample, the 1M generator, a generated multiclass and a generated
/// regression set), all on the platform's own train/holdout split and scored by <see cref="ModelEvaluator"/>: LightGBM
/// with the platform's default hyperparameters, scikit-learn's HistGradientBoosting with its defaults, and the sweep
/// (its spec's fixed trial budget on validation rows carved from the training split, best parameters refitted on the
/// whole training split, scored on the holdout), with the goal that the sweep beats scikit-learn on every dataset.
/// </summary>
internal static class SweepBench
{
    public const string Mode = "sweep";
    private const string Area = Mode;

    /// <param name="only">Dataset keys to run (churn, multiclass, regression, 1m); empty: all four.</param>
    public static IReadOnlyList<Measurement> Run(string root, string[] only)
    {
        var results = new List<Measurement>();
        (string Key, Func<SweepDataset> Load)[] datasets =
        [
            ("churn", () => SweepDataset.Churn(root, SweepSearchSpaces.Random())),
            ("multiclass", () => SweepDataset.Multiclass(SweepSearchSpaces.Random())),
            ("regression", () => SweepDataset.Regression(SweepSearchSpaces.Random())),
            ("1m", () => SweepDataset.Synthetic1M(SweepSearchSpaces.Asha())),
        ];
        foreach (var (_, load) in datasets.Where(d => only.Length == 0 || only.Contains(d.Key, StringComparer.OrdinalIgnoreCase)))
        {
            var dataset = load();
            Console.WriteLine($"Sweep area: {dataset.Name}, {dataset.Data.RowCount:N0} rows, metric {dataset.Metric}...");
            results.AddRange(Rows(dataset));
            GC.Collect();
        }

        return results;
    }

    private static List<Measurement> Rows(SweepDataset dataset)
    {
        var (name, metric) = (dataset.Name, dataset.Metric);
        var rows = new List<Measurement>();
        var defaults = Fit(dataset.DefaultSpec, dataset);
        rows.Add(new Measurement(Area, $"{name}: default LightGBM holdout {metric}", defaults.Metrics[metric], "",
            Note: $"{Metrics(defaults.Metrics, metric)}; split + fit + export {defaults.Seconds:F1} s (platform defaults: 100 trees, 31 leaves, learning rate 0.1, min 20 per leaf)"));

        var sklearn = SweepSklearnBaseline.Fit(dataset, TimeSpan.FromMinutes(10));
        if (sklearn.Skipped is null)
        {
            rows.Add(new Measurement(Area, $"{name}: sklearn HistGradientBoosting defaults holdout {metric}", sklearn.Metrics[metric], "",
                Note: $"{Metrics(sklearn.Metrics, metric)}; fit {sklearn.Seconds:F1} s, 1 OpenMP thread, {sklearn.Iterations} iterations (early stopping is on by default above 10k rows), scikit-learn {sklearn.Version}"));
        }
        else
        {
            rows.Add(Measurement.Skipped(Area, $"{name}: sklearn HistGradientBoosting defaults holdout {metric}", sklearn.Skipped));
        }

        var search = dataset.Spec.Search!;
        var sw = Stopwatch.StartNew();
        var sweep = new SweepRunner().Run(dataset.Spec, dataset.Data, CancellationToken.None);
        var sweepSeconds = sw.Elapsed.TotalSeconds;
        var tuned = Fit(SweepRunner.TunedSpec(dataset.Spec, sweep), dataset);
        var fits = sweep.Trials.Sum(t => t.Rungs.Count);
        var summary = sweep.Summary;
        rows.Add(new Measurement(Area, $"{name}: sweep holdout {metric}", tuned.Metrics[metric], "",
            Note: $"{Metrics(tuned.Metrics, metric)}; {summary.Strategy}, {summary.Trials} trials, best trial {summary.BestTrial} (validation {metric} {F4(summary.BestMetric)}): {Parameters(summary.BestParameters)}; refit on the whole training split {tuned.Seconds:F1} s"));
        rows.Add(new Measurement(Area, $"{name}: sweep wall time (in process)", sweepSeconds, " s",
            Note: $"{summary.Trials / sweepSeconds:F2} trials/s, {fits} trial fits ({fits / sweepSeconds:F2}/s), concurrency {search.Concurrency}; {sweep.Trials.Count(t => t.Status == TrialStatuses.Completed)} completed, {sweep.Trials.Count(t => t.Status == TrialStatuses.StoppedEarly)} stopped early, {sweep.Trials.Count(t => t.Status == TrialStatuses.Failed)} failed; plus the refit"));

        if (sklearn.Skipped is null)
        {
            // Positive when the sweep is better, whichever way the metric points.
            var gain = (tuned.Metrics[metric] - sklearn.Metrics[metric]) * (MetricNames.HigherIsBetter(metric) ? 1 : -1);
            rows.Add(new Measurement(Area, $"{name}: sweep beats sklearn defaults on holdout {metric}", gain, "", "> 0", gain > 0,
                $"sweep {F4(tuned.Metrics[metric])} vs sklearn {F4(sklearn.Metrics[metric])} (vs default LightGBM {F4(defaults.Metrics[metric])}); value: the sweep's lead in the metric's better direction"));
        }

        return rows;
    }

    private sealed record Fitted(IReadOnlyDictionary<string, double> Metrics, double Seconds);

    private static Fitted Fit(ModelSpec spec, SweepDataset dataset)
    {
        var sw = Stopwatch.StartNew();
        var trained = new MlNetTrainer().Train(spec, dataset.Data, CancellationToken.None);
        var seconds = sw.Elapsed.TotalSeconds;
        using var onnx = new OnnxModel(trained.Onnx, spec.Task, trained.ClassLabels);
        return new(ModelEvaluator.Evaluate(spec.Task, trained.Holdout[spec.Label], onnx.Predict(trained.Holdout), onnx.ClassLabels), seconds);
    }

    private static string F4(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

    // The compared metric first, to four decimals (the value column shows three significant digits).
    private static string Metrics(IReadOnlyDictionary<string, double> metrics, string first) =>
        string.Join(", ", metrics.OrderBy(m => m.Key != first).Select(m => $"{m.Key} {F4(m.Value)}"));

    private static string Parameters(IReadOnlyDictionary<string, double> parameters) =>
        string.Join(", ", parameters.Select(p => $"{p.Key} {p.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
}
