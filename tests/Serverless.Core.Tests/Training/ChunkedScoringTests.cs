using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training;

namespace Serverless.Core.Tests.Training;

public sealed class ChunkedScoringTests
{
    [Theory]
    [InlineData(ModelTask.Binary)]
    [InlineData(ModelTask.Multiclass)]
    public void Scoring_in_slices_gives_every_row_the_output_of_one_run_in_order(ModelTask task)
    {
        var spec = SyntheticData.Spec(task, TrainerKind.LightGbm);
        var trained = new MlNetTrainer().Train(spec, SyntheticData.Create(task, rows: 600), CancellationToken.None);
        var rows = SyntheticData.Create(task, rows: ChunkedScoring.RowsPerRun * 2 + 123, seed: 5);
        using var model = new OnnxModel(trained.Onnx, spec.Task, trained.ClassLabels);

        var whole = model.Predict(rows);
        var sliced = ChunkedScoring.Predict(model, rows);

        Assert.Equal(whole.Count, sliced.Count);
        for (var i = 0; i < whole.Count; i++)
        {
            // ONNX Runtime promises no bit-identity across batch shapes: within 1e-6.
            Assert.Equal(whole[i].Label, sliced[i].Label);
            Assert.InRange(Math.Abs((whole[i].Score ?? 0) - (sliced[i].Score ?? 0)), 0, 1e-6);
        }
    }
}
