using System.Globalization;
using Serverless.Core.Specs;

namespace Serverless.Core.Training.Mlp;

/// <summary>Effective MLP settings: the spec's <see cref="TrainerSpec.MlpHyperparameters"/> over these defaults.</summary>
public sealed record MlpHyperparameters(
    int HiddenLayers = 2,
    int HiddenUnits = 64,
    double LearningRate = 1e-3,
    int BatchSize = 256,
    int Epochs = TrainerSpec.DefaultEpochs,
    int Patience = 5,
    double L2Regularization = 1e-4,
    int Workers = 1,
    int Replicas = 1,
    int RoundSteps = 1)
{
    public static MlpHyperparameters From(TrainerSpec trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var unknown = (trainer.Hyperparameters?.Keys ?? []).Where(k => !TrainerSpec.MlpHyperparameters.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Hyperparameters not valid for mlp: {string.Join(", ", unknown)}.");

        var d = new MlpHyperparameters();
        return new MlpHyperparameters(
            Int(trainer, "hiddenLayers") ?? d.HiddenLayers,
            Int(trainer, "hiddenUnits") ?? d.HiddenUnits,
            trainer.Get("learningRate") ?? d.LearningRate,
            Int(trainer, "batchSize") ?? d.BatchSize,
            Int(trainer, "epochs") ?? d.Epochs,
            Int(trainer, "patience") ?? d.Patience,
            trainer.Get("l2Regularization") ?? d.L2Regularization,
            Int(trainer, "workers") ?? d.Workers,
            Int(trainer, "replicas") ?? d.Replicas,
            Int(trainer, "roundSteps") ?? d.RoundSteps);
    }

    /// <summary>For the model card (invariant culture, spec names).</summary>
    public IReadOnlyDictionary<string, string> Report() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["hiddenLayers"] = F(HiddenLayers),
        ["hiddenUnits"] = F(HiddenUnits),
        ["learningRate"] = F(LearningRate),
        ["batchSize"] = F(BatchSize),
        ["epochs"] = F(Epochs),
        ["patience"] = F(Patience),
        ["l2Regularization"] = F(L2Regularization),
        ["workers"] = F(Workers),
        ["replicas"] = F(Replicas),
        ["roundSteps"] = F(RoundSteps),
    };

    private static int? Int(TrainerSpec t, string name) => t.Get(name) is { } v ? checked((int)Math.Round(v)) : null;

    private static string F<T>(T v) where T : IFormattable => v.ToString(null, CultureInfo.InvariantCulture);
}
