using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Training.Mlp;

/// <summary>Small MLP specs over <see cref="SyntheticData"/>: sized so each fit takes well under a second on 2 cores.</summary>
internal static class MlpTestSpecs
{
    public static ModelSpec Spec(ModelTask task, int epochs = 30, int patience = 5, int workers = 1, int seed = 42) =>
        SyntheticData.Spec(task, TrainerKind.Mlp, seed: seed) with
        {
            Trainer = new TrainerSpec(TrainerKind.Mlp, Hyperparameters: new Dictionary<string, double>
            {
                ["hiddenLayers"] = 2,
                ["hiddenUnits"] = 16,
                ["learningRate"] = 0.01,
                ["batchSize"] = 64,
                ["epochs"] = epochs,
                ["patience"] = patience,
                ["l2Regularization"] = 1e-4,
                ["workers"] = workers,
            }),
        };
}
