using System.Diagnostics;
using System.Security.Cryptography;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training;

namespace Serverless.Bench;

/// <summary>
/// Training at size on the generator's dataset (<see cref="SyntheticDataset"/>, 24 columns, written to the temp folder
/// once and reused): 1M rows through the pipeline (drop → champion, placed by compute auto) against ModelTrainer in this
/// process and scikit-learn's HistGradientBoosting on the same split; 10M rows (mode <see cref="TenMillionMode"/>, run
/// on its own) through the trainer-job path. The local host runs in this process, so peak RSS is this process's, per
/// pipeline segment (<see cref="StepMemory"/>).
/// </summary>
internal static class TrainingSizeBench
{
    public const string TenMillionMode = "training-10m";
    private const string Area = "training";

    public static async Task<IReadOnlyList<Measurement>> OneMillionAsync(BenchPlatform platform)
    {
        const long rows = 1_000_000;
        var results = new List<Measurement>();
        var (csv, specJson, spec) = Prepare(rows);
        Console.WriteLine($"Training at 1M rows: {csv} ({new FileInfo(csv).Length / 1048576.0:N0} MiB) through the pipeline, then ModelTrainer and scikit-learn on it...");
        var (view, elapsed, segments, before, parts) = await RunPipelineAsync(platform, "synthetic-1m", csv, specJson, TimeSpan.FromMinutes(30));
        results.AddRange(PipelineRows("1M rows", view, elapsed, segments, before, rows, spec, parts));

        // The same file parsed by the ingest contract, then fitted here: what the pipeline adds is everything but the fit.
        GC.Collect();
        var sw = Stopwatch.StartNew();
        TabularDataset data;
        using (var file = File.OpenRead(csv))
        {
            data = DatasetContract.Validate(file, SyntheticDataset.CsvName, spec, CancellationToken.None).Data ?? throw new InvalidOperationException("The generated dataset was quarantined.");
        }

        var parse = sw.Elapsed.TotalSeconds;
        GC.Collect();
        var rssBeforeFit = ProcessMemory.CurrentBytes;
        ProcessMemory.ResetPeak();
        sw.Restart();
        var trained = new MlNetTrainer().Train(spec, data, CancellationToken.None);
        var fit = sw.Elapsed.TotalSeconds;
        var fitPeak = ProcessMemory.PeakBytes;
        double auc;
        using (var onnx = new OnnxModel(trained.Onnx, spec.Task, trained.ClassLabels))
        {
            auc = ModelEvaluator.Evaluate(spec.Task, trained.Holdout[spec.Label], onnx.Predict(trained.Holdout), onnx.ClassLabels)[MetricNames.Auc];
        }

        results.Add(new Measurement(Area, "1M rows: ModelTrainer.Train in this process (split + fit + ONNX export)", fit, " s",
            Note: $"holdout AUC {auc:F4}; before it, CSV parse + contract {parse:F1} s; peak RSS {Mb(fitPeak)} (RSS before it {Mb(rssBeforeFit)}, which keeps what the pipeline run above left)"));
        results.Add(Measurement.AtMost(Area, "1M rows: pipeline drop → champion ÷ ModelTrainer.Train", elapsed.TotalSeconds / fit, "×", 1.2,
            "the pipeline also parses and checks the CSV, snapshots it, builds the drift reference and registers; ModelTrainer gets the parsed rows"));
        var pipelineAuc = view.Result?.Metrics?.GetValueOrDefault(MetricNames.Auc);

        var sklearn = SklearnBaseline.Fit(data, spec, fits: 1, TimeSpan.FromMinutes(20));
        if (sklearn.Skipped is { } why)
        {
            results.Add(Measurement.Skipped(Area, "1M rows: sklearn HistGradientBoosting fit", why));
        }
        else
        {
            results.Add(new Measurement(Area, "1M rows: sklearn HistGradientBoosting fit", sklearn.Seconds, " s", Note: $"1 fit, 1 OpenMP thread (ML.NET's LightGBM uses every core), same split and tree settings, holdout AUC {sklearn.Auc:F4}, scikit-learn {sklearn.Version}"));
            results.Add(Measurement.AtMost(Area, "1M rows: ModelTrainer.Train ÷ sklearn fit", fit / sklearn.Seconds, "×", 1.0));
            if (pipelineAuc is { } p)
            {
                results.Add(Measurement.AtMost(Area, "1M rows: |AUC pipeline − AUC sklearn|", Math.Abs(p - sklearn.Auc), "", 0.002, $"pipeline {p:F4}, sklearn {sklearn.Auc:F4} on the same holdout rows"));
            }
        }

        return results;
    }

    public static async Task<IReadOnlyList<Measurement>> TenMillionAsync(BenchPlatform platform)
    {
        const long rows = 10_000_000;
        var (csv, specJson, spec) = Prepare(rows);
        Console.WriteLine($"Training at 10M rows: {csv} ({new FileInfo(csv).Length / 1048576.0:N0} MiB) through the pipeline (compute auto → the trainer job, the local worker in this process)...");
        var (view, elapsed, segments, before, parts) = await RunPipelineAsync(platform, "synthetic-10m", csv, specJson, TimeSpan.FromHours(3));
        return PipelineRows("10M rows", view, elapsed, segments, before, rows, spec, parts);
    }

    private static async Task<(RunView View, TimeSpan Elapsed, IReadOnlyList<StepMemory.Segment> Segments, long RssBefore, string? Parts)> RunPipelineAsync(
        BenchPlatform platform, string modelPrefix, string csv, string specJson, TimeSpan timeout)
    {
        string sha;
        using (var file = File.OpenRead(csv))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
        }

        var model = $"{modelPrefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await platform.PutSpecAsync(model, specJson);
        GC.Collect();
        var before = ProcessMemory.CurrentBytes;
        using var memory = new StepMemory();
        memory.Start("intake");
        var (view, elapsed) = await platform.DropFileAndWaitAsync(model, csv, sha, timeout);
        var segments = memory.Stop();
        if (view.Status != "Completed") throw new InvalidOperationException($"Pipeline run {view.RunId}: {view.Status} {view.Error}");
        return (view, elapsed, segments, before, memory.Parts);
    }

    private static List<Measurement> PipelineRows(string size, RunView view, TimeSpan elapsed, IReadOnlyList<StepMemory.Segment> segments, long before, long rows, ModelSpec spec, string? parts)
    {
        var steps = string.Join(", ", view.Progress!.Steps.Select(s => $"{s.Step} {s.Seconds:F1}"));
        var train = view.Progress.Steps.Single(s => s.Step == PipelineSteps.Train).Detail;
        var auc = view.Result?.Metrics?.GetValueOrDefault(MetricNames.Auc);
        var peak = segments.Max(s => s.PeakRssBytes);
        var perSegment = string.Join("; ", segments.Select(s => $"{s.Name} {s.Seconds:F1} s, peak {Mb(s.PeakRssBytes)}, {Mb(s.AllocatedBytes)} allocated, {s.Gen2Collections} gen-2 GCs"));
        var intake = segments.Where(s => s.Name is "intake" or "ingest").Max(s => s.PeakRssBytes);
        var training = segments.Where(s => s.Name is "train" or "dispatch").Max(s => s.PeakRssBytes);
        var cells = (double)rows * (spec.Features.Count + 1);
        return
        [
            new Measurement(Area, $"{size}: pipeline drop → champion", elapsed.TotalSeconds, " s", Note: $"{view.Result?.Outcome}, AUC {auc:F4}; s per step: {steps}{(parts is null ? "" : $"; {parts}")}; train: {train}"),
            new Measurement(Area, $"{size}: peak RSS of the process (host in-process)", peak / 1048576.0, " MiB",
                Note: $"RSS before the run {Mb(before)}; per segment (one process: the peak is the process's, reset at each step's start; allocations and GCs are process-wide): {perSegment}"),
            new Measurement(Area, $"{size}: ingest vs training memory", (training - before) / 1048576.0, " MiB",
                Note: $"training's peak over the RSS before the run ({(training - before) / cells:F0} bytes per row × column); intake + ingest (drop detection, CSV parse + contract, snapshot) peak {Mb(intake)}, +{Mb(intake - before)}"),
        ];
    }

    /// <summary>The generator's CSV and spec for <paramref name="rows"/> rows, written once to the temp folder and reused.</summary>
    internal static (string Csv, string SpecJson, ModelSpec Spec) Prepare(long rows)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"serverless-bench-{rows}");
        var csv = Path.Combine(dir, SyntheticDataset.CsvName);
        var done = Path.Combine(dir, "complete");
        if (!File.Exists(done))
        {
            Directory.CreateDirectory(dir);
            Console.WriteLine($"Generating {rows:N0} rows into {dir}...");
            SyntheticDataset.Write(csv, rows, seed: 7);
            File.WriteAllText(Path.Combine(dir, "model.json"), SyntheticDataset.Spec);
            File.WriteAllText(done, rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var specJson = File.ReadAllText(Path.Combine(dir, "model.json"));
        var spec = ModelSpecValidator.Parse(specJson).Spec ?? throw new InvalidOperationException("The generator's spec does not parse.");
        return (csv, specJson, spec);
    }

    private static string Mb(long bytes) => $"{bytes / 1048576.0:N0} MiB";
}
