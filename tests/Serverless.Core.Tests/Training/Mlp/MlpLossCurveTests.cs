using Serverless.Core.Specs;
using Serverless.Core.Training.Mlp;

namespace Serverless.Core.Tests.Training.Mlp;

public sealed class MlpLossCurveTests
{
    [Fact]
    public void The_training_result_carries_every_epoch_as_it_was_reported_including_after_early_stopping()
    {
        var spec = MlpTestSpecs.Spec(ModelTask.Binary, epochs: 200, patience: 2) with
        {
            Trainer = new TrainerSpec(TrainerKind.Mlp, Hyperparameters: new Dictionary<string, double>
            {
                ["hiddenUnits"] = 64, ["learningRate"] = 0.05, ["batchSize"] = 16, ["epochs"] = 200, ["patience"] = 2, ["l2Regularization"] = 0,
            }),
        };
        var reported = new List<MlpEpoch>();
        using var compute = new CpuMlpCompute();
        var result = new MlpTrainer().Train(spec, SyntheticData.Create(ModelTask.Binary, rows: 300), compute, CancellationToken.None, reported.Add);

        var curve = result.LossCurve!;
        Assert.True(curve.Count < 200); // stopped early, and the curve ends where training did
        Assert.Equal(result.TrainerParameters["epochsRun"], curve.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(reported.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss)), curve.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss)));
        Assert.All(curve, e => Assert.True(e.Seconds >= 0));
    }
}
