using System.Diagnostics;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Monitoring;
using Serverless.Core.Scoring;
using Serverless.Core.Training;
using Serverless.Core.Specs;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Bench;

/// <summary>
/// MlNetTrainer on the already-parsed churn sample vs the whole pipeline on the same file through the local host
/// (drop → ingest → train → evaluate → register → promote), plus scikit-learn's HistGradientBoosting when present.
/// </summary>
internal static class TrainingBench
{
    private const string Area = "training";
    private const int Runs = 5;

    public static async Task<IReadOnlyList<Measurement>> RunAsync(BenchPlatform platform, ChurnData data)
    {
        var results = new List<Measurement>();
        Console.WriteLine($"Training: MlNetTrainer on {data.Data.RowCount:N0} parsed rows and the pipeline via drop + GET /api/runs/{{id}}, alternating ({Runs} each after a warm-up)...");
        var trained = new MlNetTrainer().Train(data.Spec, data.Data);
        var raw = new List<double>();
        var pipeline = new List<double>();
        var handOffs = new List<double>();
        var fixedCosts = new List<double>();
        var steps = "";
        var breakdown = "";
        var outside = "";
        using var trace = new StepTrace();

        // Alternating, so load from other processes lands on both sides of the ratio alike.
        for (var run = 0; run < Runs; run++)
        {
            var sw = Stopwatch.StartNew();
            trained = new MlNetTrainer().Train(data.Spec, data.Data);
            raw.Add(sw.Elapsed.TotalSeconds);

            // A fresh model per run: the same bytes under one model would be recognised as a duplicate drop.
            var model = $"churn-train-{run}-{Guid.NewGuid().ToString("N")[..6]}";
            await platform.PutSpecAsync(model, data.SpecJson);
            var dropAt = DateTimeOffset.UtcNow;
            var (view, elapsed) = await platform.DropAndWaitAsync(model, data.Csv, TimeSpan.FromMinutes(3));
            if (view.Status != "Completed") throw new InvalidOperationException($"Pipeline run {view.RunId}: {view.Status} {view.Error}");
            pipeline.Add(elapsed.TotalSeconds);
            handOffs.Add(elapsed.TotalSeconds - view.Progress!.Steps.Sum(s => s.Seconds ?? 0));
            steps = string.Join(", ", view.Progress!.Steps.Select(s => $"{s.Step} {s.Seconds:F2}"));
            var spans = trace.Of(view.RunId);
            if (spans.TryGetValue("train", out var trainSpan) && trainSpan.Tags.TryGetValue("train.train.seconds", out var fit) && fit is double fitSeconds)
            {
                fixedCosts.Add(elapsed.TotalSeconds - fitSeconds);
            }

            var first = view.Progress!.Steps[0];
            var last = view.Progress.Steps[^1];
            outside = $"drop → run created (detection + intake's ingest + start) {(view.CreatedAt - dropAt).TotalSeconds:F3}, "
                + $"created → first step {(first.StartedAt - view.CreatedAt).TotalSeconds:F3}, "
                + $"last step → completed {(view.LastUpdatedAt - last.StartedAt).TotalSeconds - (last.Seconds ?? 0):F3}, "
                + $"completed → seen by the status poll {(dropAt + elapsed - view.LastUpdatedAt).TotalSeconds:F3}";
            breakdown = string.Join(", ", view.Progress!.Steps.Select(s => spans.TryGetValue(s.Step, out var span)
                ? $"{s.Step} {span.Seconds:F3} + {(s.Seconds ?? 0) - span.Seconds:F3}" + Parts(span.Tags)
                : $"{s.Step} ? + ?"));
            if (view.Result?.Metrics?.TryGetValue(MetricNames.Auc, out var pipelineAuc) == true) steps += $"; AUC {pipelineAuc:F4}";
        }

        using var onnx = new OnnxModel(trained.Onnx);
        var auc = ModelEvaluator.Binary(trained.Holdout[data.Spec.Label].FloatValues, onnx.Predict(trained.Holdout))[MetricNames.Auc];
        var rawMedian = Sampler.Median(raw);
        var pipelineMedian = Sampler.Median(pipeline);
        results.Add(new Measurement(Area, "MlNetTrainer.Train (split + fit + ONNX export)", rawMedian, " s", Note: $"median of {Runs}; last fit alone {trained.FitTime.TotalSeconds:F2} s; holdout AUC {auc:F4}"));
        results.Add(new Measurement(Area, "pipeline drop → run completed", pipelineMedian, " s", Note: $"median of {Runs}; last run, s per step: " + steps));
        results.Add(Measurement.AtMost(Area, "pipeline ÷ MlNetTrainer.Train", pipelineMedian / rawMedian, "×", 1.2));
        results.Add(new Measurement(Area, "pipeline − MlNetTrainer.Train", pipelineMedian - rawMedian, " s", Note: "the platform's fixed cost per run: drop detection, 5 durable activities, ingest, artifacts"));
        if (fixedCosts.Count > 0)
        {
            results.Add(Measurement.AtMost(Area, "fixed cost per run: pipeline − its own ModelTrainer.Train (same run)", Sampler.Median(fixedCosts), " s", 0.3,
                note: $"median of {fixedCosts.Count}; everything but the split + fit + ONNX export inside the train activity (its span tag), so load that slows one fit more than another does not enter it"));
        }

        results.Add(new Measurement(Area, "part of it: outside the steps", Sampler.Median(handOffs), " s", Note: "last run, s: " + outside));
        results.Add(new Measurement(Area, "last run: each step's work + its hand-off", pipeline[^1], " s", Note: "s: " + breakdown + " (work: the activity's span; hand-off: the step's orchestration-clock seconds minus it — queue polling and history replay)"));

        // Two parts of the pipeline's extra work, on their own: ingest's CSV parse + contract, and the drift
        // reference the train step builds (the candidate scores the holdout, then every row is profiled).
        var contract = Sampler.Median(Enumerable.Range(0, Runs).Select(_ => Time(() => DatasetContract.Validate(new MemoryStream(data.Csv), "churn.csv", data.Spec, CancellationToken.None))));
        var reference = Sampler.Median(Enumerable.Range(0, Runs).Select(_ => Time(() =>
            ReferenceProfile.Build(data.Spec, data.Data, onnx.Predict(trained.Holdout).Select(o => o.Score ?? float.NaN).ToArray()))));
        results.Add(new Measurement(Area, "part of ingest: CSV parse + contract", contract, " s", Note: "context for the ratio"));
        results.Add(new Measurement(Area, "part of train step: drift reference (score holdout + profile all rows)", reference, " s", Note: "context for the ratio"));

        results.AddRange(SklearnBaseline.Run(data, Area));
        if (Environment.GetEnvironmentVariable("BENCH_TRAINING_1M") != "0")
        {
            try
            {
                results.AddRange(await TrainingSizeBench.OneMillionAsync(platform));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
            {
                // A failed size run is a row that says why, not a lost report of the rows above it.
                Console.Error.WriteLine(e);
                results.Add(Measurement.Skipped(Area, "1M rows", $"failed: {e.GetType().Name}: {e.Message}"));
            }
        }

        return results;
    }

    private static string Parts(IReadOnlyDictionary<string, object?> tags)
    {
        var parts = tags.Where(t => t.Key.EndsWith(".seconds", StringComparison.Ordinal) && t.Value is double)
            .Select(t => $"{t.Key.Split('.')[1]} {(double)t.Value!:F3}").ToList();
        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    private static double Time(Action work)
    {
        var sw = Stopwatch.StartNew();
        work();
        return sw.Elapsed.TotalSeconds;
    }
}
