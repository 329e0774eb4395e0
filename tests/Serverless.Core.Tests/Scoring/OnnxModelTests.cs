using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Tests.Training;
using Serverless.Core.Training;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Scoring;

public sealed class OnnxModelTests
{
    private static TrainingResult Train(ModelTask task, int rows = 600) =>
        new MlNetTrainer().Train(SyntheticData.Spec(task, TrainerKind.LightGbm), SyntheticData.Create(task, rows), CancellationToken.None);

    [Fact]
    public async Task Concurrent_predictions_are_identical_to_sequential_ones()
    {
        var result = Train(ModelTask.Multiclass);
        using var model = new OnnxModel(result.Onnx);
        var expected = model.Predict(result.Holdout);

        var runs = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 25).Select(_ => model.Predict(result.Holdout)).ToList())).ToArray();
        var results = await Task.WhenAll(runs);

        foreach (var batch in results.SelectMany(r => r))
        {
            Assert.Equal(expected.Count, batch.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                ScoreAssert.SameLabel(expected[i].Label, batch[i].Label, ScoreAssert.TopMargin(expected[i].Probabilities!));
                ScoreAssert.Close(expected[i].Probabilities, batch[i].Probabilities);
            }
        }
    }

    [Fact]
    public async Task Single_rows_from_many_threads_match_the_batch_row_for_row()
    {
        // Single rows reuse pooled [1, 1] tensors; a value left over from another row or caller would show here.
        var result = Train(ModelTask.Multiclass);
        using var model = new OnnxModel(result.Onnx);
        var expected = model.Predict(result.Holdout);
        var n = result.Holdout.RowCount;

        var runs = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            Enumerable.Range(0, n).Select(k => (t + k * 7) % n).Select(i => (Row: i, Output: model.Predict(result.Holdout.Select([i])).Single())).ToList())).ToArray();

        foreach (var (row, output) in (await Task.WhenAll(runs)).SelectMany(r => r))
        {
            // Single rows and batches may differ in the last bits (ONNX Runtime's kernels depend on the shape).
            ScoreAssert.SameLabel(expected[row].Label, output.Label, ScoreAssert.TopMargin(expected[row].Probabilities!));
            ScoreAssert.Close(expected[row].Probabilities, output.Probabilities);
        }
    }

    [Fact]
    public void Task_and_class_labels_come_from_model_metadata()
    {
        var result = Train(ModelTask.Multiclass);
        using var model = new OnnxModel(result.Onnx);

        Assert.Equal(ModelTask.Multiclass, model.Task);
        Assert.Equal(SyntheticData.Classes, model.ClassLabels!);
        var row = model.Predict(result.Holdout)[0];
        Assert.Equal(3, row.Probabilities!.Length);
        Assert.Equal(1.0, row.Probabilities.Sum(), 5);

        // The predicted label is the class of the largest probability, under the declared class order.
        Assert.Equal(SyntheticData.Classes[Array.IndexOf(row.Probabilities, row.Probabilities.Max())], row.Label);
    }

    [Fact]
    public void Caller_supplied_task_and_classes_override_metadata()
    {
        var result = Train(ModelTask.Multiclass);
        using var model = new OnnxModel(result.Onnx, ModelTask.Multiclass, ["A", "B", "C"]);

        Assert.Equal(["A", "B", "C"], model.ClassLabels!);
    }

    [Fact]
    public void Binary_outputs_label_and_probability_of_true()
    {
        var result = Train(ModelTask.Binary);
        using var model = new OnnxModel(result.Onnx);

        var rows = model.Predict(result.Holdout);

        Assert.Equal(ModelTask.Binary, model.Task);
        Assert.All(rows, r =>
        {
            Assert.Equal(r.Score >= 0.5f ? "true" : "false", r.Label);
            Assert.InRange(r.Score!.Value, 0f, 1f);
            Assert.Null(r.Probabilities);
        });
    }

    [Fact]
    public void Regression_outputs_score_only_and_inputs_follow_the_spec()
    {
        var result = Train(ModelTask.Regression);
        using var model = new OnnxModel(result.Onnx);

        Assert.Equal(ModelTask.Regression, model.Task);
        Assert.Equal(
            [new ModelInput("x1", ModelInputType.Float), new ModelInput("x2", ModelInputType.Float), new ModelInput("flag", ModelInputType.Float), new ModelInput("color", ModelInputType.String)],
            model.Inputs);
        Assert.All(model.Predict(result.Holdout), r => Assert.True(r is { Label: null, Probabilities: null, Score: not null }));
    }

    [Fact]
    public void Missing_input_column_is_rejected_and_empty_input_gives_no_rows()
    {
        var result = Train(ModelTask.Regression);
        using var model = new OnnxModel(result.Onnx);
        var withoutColor = new Serverless.Core.Datasets.TabularDataset(result.Holdout.Columns.Where(c => c.Name != "color").ToList());

        Assert.Throws<ArgumentException>(() => model.Predict(withoutColor));
        Assert.Empty(model.Predict(result.Holdout.Select([])));
    }
}
