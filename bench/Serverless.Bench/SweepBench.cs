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
    public static async Task<IReadOnlyList<Measurement>> RunAsync(string root, string[] only)
    {
        var results = new List<Measurement>();

        // Through the pipeline as well (for the Durable overhead): the two sets with the cheapest trials; the others'
        // second sweep would double the area's time without changing the per-trial figure.
        (string Key, Func<SweepDataset> Load, bool Pipeline)[] datasets =
        [
            ("churn", () => SweepDataset.Churn(root, SweepSearchSpaces.Random()), true),
            ("multiclass", () => SweepDataset.Multiclass(SweepSearchSpaces.RandomMulticlass()), false),
            ("regression", () => SweepDataset.Regression(SweepSearchSpaces.Random()), true),
            ("1m", () => SweepDataset.Synthetic1M(SweepSearchSpaces.Asha()), false),
        ];
        var selected = datasets.Where(d => only.Length == 0 || only.Contains(d.Key, StringComparer.OrdinalIgnoreCase)).ToList();
        await using var platform = selected.Any(d => d.Pipeline) ? await BenchPlatform.StartAsync() : null;
        foreach (var (key, load, pipeline) in selected)
        {
            List<Measurement> rows;
            try
            {
                var dataset = load();
                Console.WriteLine($"Sweep area: {dataset.Name}, {dataset.Data.RowCount:N0} rows, metric {dataset.Metric}...");
                (rows, var sweep) = Rows(dataset);
                if (pipeline) rows.AddRange(await PipelineRowsAsync(platform!, dataset, sweep));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or TimeoutException or IOException or HttpRequestException)
            {
                // A failed dataset is a row that says why, not a lost report of the others.
                Console.Error.WriteLine(e);
                rows = [Measurement.Skipped(Area, key, $"failed: {e.GetType().Name}: {e.Message}")];
            }

            // As it goes: the area runs for many minutes.
            Console.Write(ResultsReport.Table(rows));
            results.AddRange(rows);
            GC.Collect();
        }

        return results;
    }

    /// <summary>The in-process sweep: its wall seconds, trial fits, their summed seconds and the refitted model's holdout metrics.</summary>
    private sealed record InProcessSweep(double Seconds, int Fits, double FitSeconds, int BestTrial, IReadOnlyDictionary<string, double> Holdout);

    private static (List<Measurement> Rows, InProcessSweep Sweep) Rows(SweepDataset dataset)
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

        return (rows, new InProcessSweep(sweepSeconds, fits, sweep.Trials.Sum(t => t.Seconds), summary.BestTrial, tuned.Metrics));
    }

    /// <summary>
    /// The same spec and CSV dropped on the local host: the pipeline's sweep step (trials as Durable activities) against
    /// the in-process sweep, per trial fit; and whether it chose the same trial and reached the same holdout metric.
    /// </summary>
    private static async Task<List<Measurement>> PipelineRowsAsync(BenchPlatform platform, SweepDataset dataset, InProcessSweep inProcess)
    {
        var (name, metric) = (dataset.Name, dataset.Metric);
        var model = $"sweep-{dataset.Spec.Task.ToString().ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..6]}";
        await platform.PutSpecAsync(model, dataset.SpecJson);
        var (view, elapsed) = await platform.DropFileAndWaitAsync(model, dataset.CsvPath, dataset.Sha256(), TimeSpan.FromMinutes(20));
        var step = view.Progress?.Steps.FirstOrDefault(s => s.Step == PipelineSteps.Sweep);
        if (view.Status != "Completed" || step?.Seconds is not { } stepSeconds || view.Result?.Sweep is not { } sweep)
        {
            return [Measurement.Skipped(Area, $"{name}: Durable overhead per trial fit", $"pipeline run {view.RunId} {view.Status}: {view.Error ?? step?.Detail}")];
        }

        var fits = sweep.Trials.Sum(t => t.Rungs.Count);
        var holdout = view.Result.Metrics?.GetValueOrDefault(metric) ?? double.NaN;

        // Slot time not spent fitting, per trial fit: concurrency × wall − Σ fit seconds. Each side's own fits are
        // subtracted, so load from other processes that slows the fits themselves cancels out, unlike a plain
        // difference of the two walls (the note gives that one too).
        var concurrency = dataset.Spec.Search!.Concurrency;
        var durableIdle = ((concurrency * stepSeconds) - sweep.Trials.Sum(t => t.Seconds)) / fits;
        var inProcessIdle = ((concurrency * inProcess.Seconds) - inProcess.FitSeconds) / inProcess.Fits;
        return
        [
            new Measurement(Area, $"{name}: pipeline sweep step (trials as Durable activities)", stepSeconds, " s",
                Note: $"{fits} trial fits, {fits / stepSeconds:F2}/s; whole run drop → {view.Status} {elapsed.TotalSeconds:F1} s ({string.Join(", ", view.Progress!.Steps.Select(s => $"{s.Step} {s.Seconds:F1}"))}); best trial {sweep.Summary.BestTrial} (in process {inProcess.BestTrial}), holdout {metric} {F4(holdout)} (in process {F4(inProcess.Holdout[metric])})"),
            new Measurement(Area, $"{name}: Durable overhead per trial fit", durableIdle - inProcessIdle, " s",
                Note: $"slot seconds not spent fitting per fit ({concurrency} × wall − Σ fit seconds) ÷ fits: pipeline {durableIdle:F3} s − in process {inProcessIdle:F3} s (activity dispatch, queue polling, history replay, the data cache's snapshot read; the sweep step's seconds are the orchestration clock's); plain wall difference (step {stepSeconds:F1} s − in process {inProcess.Seconds:F1} s) ÷ {fits} = {(stepSeconds - inProcess.Seconds) / fits:F2} s, which carries the load on the machine"),
        ];
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
