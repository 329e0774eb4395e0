using Serverless.Core.Evaluation;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training.Mlp;
using Xunit.Abstractions;

namespace Serverless.Core.Tests.Training.Mlp;

public sealed class MlpTrainerTests(ITestOutputHelper output)
{
    // ORT's MatMul blocks and fuses multiply-adds differently from the C# loops; both are float32.
    private const double ParityTolerance = 1e-5;

    [Fact]
    public void Binary_mlp_reaches_auc_0_9_on_the_holdout()
    {
        var spec = MlpTestSpecs.Spec(ModelTask.Binary);
        using var compute = new CpuMlpCompute();
        var result = new MlpTrainer().Train(spec, SyntheticData.Create(ModelTask.Binary), compute, CancellationToken.None);

        using var onnx = new OnnxModel(result.Onnx);
        var metrics = ModelEvaluator.Evaluate(ModelTask.Binary, result.Holdout["target"], onnx.Predict(result.Holdout));
        output.WriteLine($"AUC {metrics[MetricNames.Auc]:F4}, epochs {result.TrainerParameters["epochsRun"]}, fit {result.FitTime.TotalMilliseconds:F0} ms");
        Assert.True(metrics[MetricNames.Auc] >= 0.9, $"AUC {metrics[MetricNames.Auc]}");
        Assert.Equal(1600, result.TrainRows);
        Assert.Equal(400, result.Holdout.RowCount);
        Assert.Equal("cpu", result.TrainerParameters["device"]);
        Assert.Equal("MlpBinary", result.TrainerParameters["trainer"]);
        Assert.Equal("16", result.TrainerParameters["hiddenUnits"]);
    }

    [Theory]
    [InlineData(ModelTask.Binary)]
    [InlineData(ModelTask.Multiclass)]
    [InlineData(ModelTask.Regression)]
    public void Onnx_matches_the_csharp_forward_pass_including_nan_and_unknown_categories(ModelTask task)
    {
        var spec = MlpTestSpecs.Spec(task, epochs: 5);
        using var compute = new CpuMlpCompute();
        var result = new MlpTrainer().Train(spec, SyntheticData.Create(task, rows: 1000), compute, CancellationToken.None);
        var model = result.Mlp!;

        using var onnx = new OnnxModel(result.Onnx);
        Assert.Equal(task, onnx.Task);
        Assert.Equal(result.InputSchema, onnx.Inputs);

        var rows = SyntheticData.Concat(result.Holdout, SyntheticData.EdgeRows(task));
        var ort = onnx.Predict(rows);
        var expected = model.Predict(rows);
        var actual = task == ModelTask.Multiclass ? ort.SelectMany(r => r.Probabilities!).ToArray() : ort.Select(r => r.Score!.Value).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var maxDelta = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{task}: max |Δ| {maxDelta:E2} over {rows.RowCount} rows");
        Assert.True(maxDelta <= ParityTolerance, $"max |Δ| {maxDelta}");

        for (var i = 0; i < rows.RowCount; i++)
        {
            switch (task)
            {
                case ModelTask.Binary:
                    Assert.Equal(expected[i] > 0.5f ? "true" : "false", ort[i].Label);
                    break;
                case ModelTask.Multiclass:
                    var p = expected.AsSpan(i * 3, 3).ToArray();
                    Assert.Equal(SyntheticData.Classes[Array.IndexOf(p, p.Max())], ort[i].Label);
                    break;
            }
        }

        if (task == ModelTask.Multiclass)
        {
            Assert.Equal(SyntheticData.Classes, onnx.ClassLabels);
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_and_another_seed_does_not()
    {
        using var compute = new CpuMlpCompute();
        var data = SyntheticData.Create(ModelTask.Binary, rows: 600);
        var a = new MlpTrainer().Train(MlpTestSpecs.Spec(ModelTask.Binary, epochs: 3), data, compute, CancellationToken.None).Mlp!;
        var b = new MlpTrainer().Train(MlpTestSpecs.Spec(ModelTask.Binary, epochs: 3), data, compute, CancellationToken.None).Mlp!;
        var c = new MlpTrainer().Train(MlpTestSpecs.Spec(ModelTask.Binary, epochs: 3, seed: 7), data, compute, CancellationToken.None).Mlp!;
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.NotEqual(a.Parameters, c.Parameters);
    }

    [Fact]
    public void Early_stopping_stops_and_keeps_the_best_epoch()
    {
        // A large learning rate on a wide net overfits 300 rows quickly, so validation loss turns up.
        var spec = MlpTestSpecs.Spec(ModelTask.Binary, epochs: 200, patience: 3) with
        {
            Trainer = new TrainerSpec(TrainerKind.Mlp, Hyperparameters: new Dictionary<string, double>
            {
                ["hiddenUnits"] = 64, ["learningRate"] = 0.05, ["batchSize"] = 16, ["epochs"] = 200, ["patience"] = 3, ["l2Regularization"] = 0,
            }),
        };
        using var compute = new CpuMlpCompute();
        var result = new MlpTrainer().Train(spec, SyntheticData.Create(ModelTask.Binary, rows: 300), compute, CancellationToken.None);
        var run = int.Parse(result.TrainerParameters["epochsRun"], System.Globalization.CultureInfo.InvariantCulture);
        var best = int.Parse(result.TrainerParameters["bestEpoch"], System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"stopped after {run} epochs, best {best}");
        Assert.True(run < 200);
        Assert.Equal(best + 3, run);
    }

    [Fact]
    public void Early_stopping_loop_returns_the_best_weights_not_the_last()
    {
        using var compute = new CpuMlpCompute();
        var layout = new MlpLayout(2, 1, 8, 1, MlpLoss.BinaryCrossEntropy);
        var rng = new Random(3);
        float[] x = [.. Enumerable.Range(0, 200).Select(_ => (float)rng.NextDouble())];
        float[] y = [.. Enumerable.Range(0, 100).Select(_ => (float)rng.Next(2))];  // pure noise: validation loss cannot keep falling
        var fit = MlpFit.Run(compute, layout, new MlpHyperparameters(HiddenLayers: 1, HiddenUnits: 8, LearningRate: 0.1, BatchSize: 8, Epochs: 100, Patience: 2),
            seed: 1, x[..160], y[..80], x[160..], y[80..], CancellationToken.None);
        Assert.True(fit.StoppedEarly);
        Assert.Equal(fit.ValidationLoss.Min(), fit.ValidationLoss[fit.BestEpoch - 1]);

        using var step = new DataParallelStep(compute, layout, fit.Parameters, 1, 20, 0.1, 0);
        Assert.True(Math.Abs(fit.ValidationLoss[fit.BestEpoch - 1] - step.Evaluate(x[160..], y[80..], 20)) < 1e-9);
    }

    [Fact]
    public void Each_epoch_is_reported_as_it_finishes_with_the_losses_the_fit_records()
    {
        using var compute = new CpuMlpCompute();
        var layout = new MlpLayout(2, 1, 8, 1, MlpLoss.BinaryCrossEntropy);
        var rng = new Random(5);
        float[] x = [.. Enumerable.Range(0, 200).Select(_ => (float)rng.NextDouble())];
        float[] y = [.. Enumerable.Range(0, 100).Select(_ => (float)rng.Next(2))];
        var epochs = new List<MlpEpoch>();
        var fit = MlpFit.Run(compute, layout, new MlpHyperparameters(HiddenLayers: 1, HiddenUnits: 8, LearningRate: 0.1, BatchSize: 8, Epochs: 5, Patience: 10),
            seed: 1, x[..160], y[..80], x[160..], y[80..], CancellationToken.None, epochs.Add);

        Assert.Equal(Enumerable.Range(1, fit.EpochsRun), epochs.Select(e => e.Epoch));
        Assert.Equal(fit.TrainLoss, epochs.Select(e => e.TrainLoss));
        Assert.Equal(fit.ValidationLoss, epochs.Select(e => e.ValidationLoss));
    }
}
