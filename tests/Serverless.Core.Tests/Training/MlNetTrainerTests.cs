using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.Core.Evaluation;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using Xunit.Abstractions;
using Serverless.Core.Features;

namespace Serverless.Core.Tests.Training;

public sealed class MlNetTrainerTests(ITestOutputHelper output)
{
    private const double ParityTolerance = 1e-5;

    public static TheoryData<TrainerKind, string?, ModelTask> Combinations()
    {
        var data = new TheoryData<TrainerKind, string?, ModelTask>();
        foreach (var task in Enum.GetValues<ModelTask>())
        {
            data.Add(TrainerKind.LightGbm, null, task);
            data.Add(TrainerKind.FastTree, null, task);
            data.Add(TrainerKind.Linear, null, task);
        }

        data.Add(TrainerKind.Linear, TrainerSpec.Lbfgs, ModelTask.Binary);
        data.Add(TrainerKind.Linear, TrainerSpec.Lbfgs, ModelTask.Multiclass);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Trains_exports_and_onnx_matches_mlnet_on_holdout_and_edge_rows(TrainerKind kind, string? solver, ModelTask task)
    {
        var spec = SyntheticData.Spec(task, kind, solver);
        var result = new MlNetTrainer().Train(spec, SyntheticData.Create(task), CancellationToken.None);

        Assert.Equal(1600, result.TrainRows);
        Assert.Equal(400, result.Holdout.RowCount);
        Assert.True(result.TrainerParameters.ContainsKey("trainer"));

        using var onnx = new OnnxModel(result.Onnx);
        Assert.Equal(task, onnx.Task);
        Assert.Equal(result.InputSchema, onnx.Inputs); // one input per feature, spec order, no label input

        var rows = SyntheticData.Concat(result.Holdout, SyntheticData.EdgeRows(task));
        var ort = onnx.Predict(rows);
        var mlnet = result.MlNetModel!.Transform(new TabularDataView(rows));
        var maxDelta = task switch
        {
            ModelTask.Binary => MaxDelta(mlnet.GetColumn<float>("Probability").ToArray(), ort.Select(r => r.Score!.Value).ToArray()),
            ModelTask.Regression => MaxDelta(mlnet.GetColumn<float>("Score").ToArray(), ort.Select(r => r.Score!.Value).ToArray()),
            _ => MaxDelta(
                mlnet.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray(),
                ort.SelectMany(r => r.Probabilities!).ToArray()),
        };

        if (task == ModelTask.Multiclass)
        {
            Assert.Equal(SyntheticData.Classes, result.ClassLabels);
            Assert.Equal(SyntheticData.Classes, onnx.ClassLabels);
            var mlLabels = mlnet.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToArray();
            Assert.Equal(mlLabels, ort.Select(r => r.Label).ToArray());
        }
        else if (task == ModelTask.Binary)
        {
            var mlLabels = mlnet.GetColumn<bool>("PredictedLabel").Select(b => b ? "true" : "false").ToArray();
            Assert.Equal(mlLabels, ort.Select(r => r.Label).ToArray());
        }

        var metrics = ModelEvaluator.Evaluate(task, result.Holdout["target"], onnx.Predict(result.Holdout), onnx.ClassLabels);
        output.WriteLine($"{kind}/{solver ?? "-"}/{task}: fit {result.FitTime.TotalMilliseconds:F0} ms, parity max|Δ| {maxDelta:E2}, "
            + string.Join(", ", metrics.Select(m => $"{m.Key}={m.Value:F4}")));
        Assert.True(maxDelta <= ParityTolerance, $"max |Δ| {maxDelta}");

        // The data is learnable: every trainer must beat chance clearly.
        switch (task)
        {
            case ModelTask.Binary: Assert.True(metrics[MetricNames.Auc] > 0.85, $"auc {metrics[MetricNames.Auc]}"); break;
            case ModelTask.Multiclass: Assert.True(metrics[MetricNames.Accuracy] > 0.6, $"accuracy {metrics[MetricNames.Accuracy]}"); break;
            default: Assert.True(metrics[MetricNames.RSquared] > 0.7, $"r2 {metrics[MetricNames.RSquared]}"); break;
        }
    }

    [Fact]
    public void Same_spec_and_data_give_the_same_model()
    {
        var spec = SyntheticData.Spec(ModelTask.Binary, TrainerKind.LightGbm);
        var data = SyntheticData.Create(ModelTask.Binary, rows: 500);
        var a = new MlNetTrainer().Train(spec, data, CancellationToken.None);
        var b = new MlNetTrainer().Train(spec, data, CancellationToken.None);

        Assert.Equal(a.HoldoutRows, b.HoldoutRows);
        using var ma = new OnnxModel(a.Onnx);
        using var mb = new OnnxModel(b.Onnx);
        Assert.Equal(ma.Predict(a.Holdout).Select(r => r.Score), mb.Predict(b.Holdout).Select(r => r.Score));
    }

    [Fact]
    public void Multiclass_classes_default_to_sorted_labels()
    {
        var spec = SyntheticData.Spec(ModelTask.Multiclass, TrainerKind.LightGbm) with { Classes = null };
        var result = new MlNetTrainer().Train(spec, SyntheticData.Create(ModelTask.Multiclass, rows: 500), CancellationToken.None);

        Assert.Equal(["high", "low", "mid"], result.ClassLabels!);
    }

    [Fact]
    public void Hyperparameters_are_applied_and_reported()
    {
        var spec = SyntheticData.Spec(ModelTask.Regression, TrainerKind.FastTree) with
        {
            Trainer = new TrainerSpec(TrainerKind.FastTree, Hyperparameters: new Dictionary<string, double> { ["numberOfTrees"] = 7, ["learningRate"] = 0.05 }),
        };
        var result = new MlNetTrainer().Train(spec, SyntheticData.Create(ModelTask.Regression, rows: 300), CancellationToken.None);

        Assert.Equal("FastTreeRegression", result.TrainerParameters["trainer"]);
        Assert.Equal("7", result.TrainerParameters["numberOfTrees"]);
        Assert.Equal("0.05", result.TrainerParameters["learningRate"]);
        Assert.Equal("20", result.TrainerParameters["numberOfLeaves"]);
    }

    [Fact]
    public void Invalid_trainer_settings_are_rejected()
    {
        var data = SyntheticData.Create(ModelTask.Regression, rows: 100);
        var trainer = new MlNetTrainer();
        var lbfgsRegression = SyntheticData.Spec(ModelTask.Regression, TrainerKind.Linear, TrainerSpec.Lbfgs);
        var badName = SyntheticData.Spec(ModelTask.Regression, TrainerKind.Linear) with
        {
            Trainer = new TrainerSpec(TrainerKind.Linear, Hyperparameters: new Dictionary<string, double> { ["numberOfTrees"] = 3 }),
        };
        var badSolver = SyntheticData.Spec(ModelTask.Regression, TrainerKind.Linear, "adam");

        Assert.Throws<NotSupportedException>(() => trainer.Train(lbfgsRegression, data, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => trainer.Train(badName, data, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => trainer.Train(badSolver, data, CancellationToken.None));
    }

    [Fact]
    public void Cancelled_token_stops_training()
    {
        var spec = SyntheticData.Spec(ModelTask.Binary, TrainerKind.LightGbm);
        Assert.Throws<OperationCanceledException>(
            () => new MlNetTrainer().Train(spec, SyntheticData.Create(ModelTask.Binary, rows: 100), new CancellationToken(canceled: true)));
    }

    private static double MaxDelta(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
    }
}
