using System.Diagnostics;
using Serverless.Core.Datasets;
using Serverless.Core.Explanations;
using Serverless.Core.Scoring;
using Serverless.Core.Training;

namespace Serverless.Bench;

/// <summary>
/// Exact TreeSHAP against scoring on the churn champion (samples/churn: LightGBM, 200 trees, 31 leaves, trained as the
/// pipeline trains it). Per row: OnnxModel.Predict (what predict pays) vs TreeExplainer.Explain (one ORT run with the
/// feature vectors exposed, then TreeSHAP over every tree), single rows and a 1,000-row batch, interleaved.
/// Also what the train step now pays on top of the fit: the explainer (covers from every training row + mean |SHAP|
/// on TreeExplainer.ImportanceRows holdout rows) and permutation importance; both overlap with the drift reference and uploads.
/// </summary>
internal static class ExplainBench
{
    public const string Mode = "explain";
    private const string Area = Mode;

    public static async Task<IReadOnlyList<Measurement>> RunAsync(string root)
    {
        var data = ChurnData.Load(root);
        var results = new List<Measurement>();
        var sw = Stopwatch.StartNew();
        var trained = new MlNetTrainer().Train(data.Spec, data.Data, CancellationToken.None);
        var trainSeconds = sw.Elapsed.TotalSeconds;

        var training = data.Data.Select(HoldoutSplit.Create(data.Data.RowCount, data.Spec.Holdout).TrainRows);
        var sample = trained.Holdout.Select([.. Enumerable.Range(0, TreeExplainer.ImportanceRows)]);
        sw.Restart();
        var artifact = TreeExplainer.Fit(trained.Onnx, training, sample, trained.ClassLabels);
        var fitSeconds = sw.Elapsed.TotalSeconds;
        results.Add(new Measurement(Area, "explainer at training time (covers + importance)", fitSeconds, " s",
            Note: $"{training.RowCount:N0} training rows routed, importance on {sample.RowCount:N0} holdout rows; MlNetTrainer.Train {trainSeconds:F1} s"));

        using var onnx = new OnnxModel(trained.Onnx);
        sw.Restart();
        PermutationImportance.Measure(onnx, data.Spec, trained.Holdout, trained.ClassLabels);
        results.Add(new Measurement(Area, "permutation importance at training time", sw.Elapsed.TotalSeconds, " s",
            Note: $"{data.Spec.Features.Count} columns × {PermutationImportance.Repeats} shuffles × {Math.Min(PermutationImportance.MaxRows, trained.Holdout.RowCount):N0} holdout rows re-scored"));

        using var explainer = TreeExplainer.Load(trained.Onnx, artifact, trained.ClassLabels);
        var singles = Enumerable.Range(0, 1_000).Select(i => trained.Holdout.Select([i])).ToArray();
        var next = 0;
        TabularDataset Next() => singles[next++ % singles.Length];
        var single = await Sampler.InterleavedAsync(
            [() => { onnx.Predict(Next()); return Task.CompletedTask; }, () => { explainer.Explain(Next()); return Task.CompletedTask; }],
            warmUp: 50, block: 100, maxCallsEach: 3_000, TimeSpan.FromSeconds(20));
        var (score1, explain1) = (Sampler.Percentile(single[0], 0.5), Sampler.Percentile(single[1], 0.5));
        results.Add(new Measurement(Area, "single row: OnnxModel.Predict p50", score1, " ms", Note: $"p99 {Sampler.Percentile(single[0], 0.99):F3} ms"));
        results.Add(new Measurement(Area, "single row: TreeExplainer.Explain p50", explain1, " ms", Note: $"p99 {Sampler.Percentile(single[1], 0.99):F3} ms"));
        results.Add(Measurement.AtMost(Area, "single row: explain ÷ predict", explain1 / score1, "×", 3,
            "explain-only time ÷ scoring time (issue 13's goal: explanation adds ≤ 3× the scoring time)"));

        var batch = trained.Holdout.Select([.. Enumerable.Range(0, 1_000)]);
        var batched = await Sampler.InterleavedAsync(
            [() => { onnx.Predict(batch); return Task.CompletedTask; }, () => { explainer.Explain(batch); return Task.CompletedTask; }],
            warmUp: 3, block: 1, maxCallsEach: 15, TimeSpan.FromSeconds(40));
        var (scoreN, explainN) = (Sampler.Median(batched[0]), Sampler.Median(batched[1]));
        results.Add(new Measurement(Area, "batch 1,000: OnnxModel.Predict", 1_000 / (scoreN / 1_000), " rows/s", Note: $"median {scoreN:F2} ms"));
        results.Add(new Measurement(Area, "batch 1,000: TreeExplainer.Explain", 1_000 / (explainN / 1_000), " rows/s", Note: $"median {explainN:F1} ms"));
        results.Add(Measurement.AtMost(Area, "batch 1,000: explain ÷ predict", explainN / scoreN, "×", 3));
        return results;
    }
}
