using System.Diagnostics;
using Serverless.Core.Evaluation;
using Serverless.Core.Scoring;
using Serverless.Core.Training;

namespace Serverless.Bench;

/// <summary>
/// ModelTrainer on the already-parsed churn sample vs the whole pipeline on the same file through the local host
/// (drop → ingest → train → evaluate → register → promote), plus scikit-learn's HistGradientBoosting when present.
/// </summary>
internal static class TrainingBench
{
    private const string Area = "training";
    private const int RawRuns = 3;
    private const int PipelineRuns = 3;

    public static async Task<IReadOnlyList<Measurement>> RunAsync(BenchPlatform platform, ChurnData data)
    {
        var results = new List<Measurement>();
        Console.WriteLine($"Training: ModelTrainer on {data.Data.RowCount:N0} parsed rows (1 warm-up + {RawRuns})...");
        TrainingResult? trained = null;
        var raw = new List<double>();
        for (var run = 0; run <= RawRuns; run++)
        {
            var sw = Stopwatch.StartNew();
            trained = new ModelTrainer().Train(data.Spec, data.Data);
            if (run > 0) raw.Add(sw.Elapsed.TotalSeconds);
        }

        using var onnx = new OnnxModel(trained!.Onnx);
        var auc = ModelEvaluator.Binary(trained.Holdout[data.Spec.Label].FloatValues, onnx.Predict(trained.Holdout))[MetricNames.Auc];
        var rawMedian = Sampler.Median(raw);
        results.Add(new Measurement(Area, "ModelTrainer.Train (split + fit + ONNX export)", rawMedian, " s", Note: $"fit alone {trained.FitTime.TotalSeconds:F2} s; holdout AUC {auc:F4}"));

        Console.WriteLine($"Training: pipeline via drop + GET /api/runs/{{id}} ({PipelineRuns} runs)...");
        var pipeline = new List<double>();
        var steps = "";
        for (var run = 0; run < PipelineRuns; run++)
        {
            // A fresh model per run: the same bytes under one model would be recognised as a duplicate drop.
            var model = $"churn-train-{run}-{Guid.NewGuid().ToString("N")[..6]}";
            await platform.PutSpecAsync(model, data.SpecJson);
            var (view, elapsed) = await platform.DropAndWaitAsync(model, data.Csv, TimeSpan.FromMinutes(3));
            if (view.Status != "Completed") throw new InvalidOperationException($"Pipeline run {view.RunId}: {view.Status} {view.Error}");
            pipeline.Add(elapsed.TotalSeconds);
            steps = string.Join(", ", view.Progress!.Steps.Select(s => $"{s.Step} {s.Seconds:F2}"));
            if (run == PipelineRuns - 1 && view.Result?.Metrics?.TryGetValue(MetricNames.Auc, out var pipelineAuc) == true)
            {
                steps += $"; AUC {pipelineAuc:F4}";
            }
        }

        var pipelineMedian = Sampler.Median(pipeline);
        results.Add(new Measurement(Area, "pipeline drop → run completed", pipelineMedian, " s", Note: "last run, s per step: " + steps));
        results.Add(Measurement.AtMost(Area, "pipeline ÷ ModelTrainer.Train", pipelineMedian / rawMedian, "×", 1.2));

        results.AddRange(SklearnBaseline.Run(data, Area));
        return results;
    }
}
