using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

/// <summary>Which ML.NET trainer fits the model, and its hyperparameters.</summary>
/// <param name="Type">Trainer family.</param>
/// <param name="Solver">For <see cref="TrainerKind.Linear"/>: "sdca" (default) or "lbfgs".</param>
/// <param name="Hyperparameters">
/// Trainer options by name. Trees: numberOfTrees, numberOfLeaves, learningRate, minimumExampleCountPerLeaf.
/// Linear: l1Regularization, l2Regularization, maximumNumberOfIterations.
/// </param>
/// <param name="Compute">"cpu" (default): trained in the pipeline's activity. "gpu": dispatched to the GPU trainer job
/// through its queue (always the case for <see cref="TrainerKind.Mlp"/>).</param>
/// <param name="Timeout">How long the pipeline waits for the GPU trainer's result (default 2 h).</param>
public sealed record TrainerSpec(
    TrainerKind Type = TrainerKind.LightGbm,
    string? Solver = null,
    IReadOnlyDictionary<string, double>? Hyperparameters = null,
    string? Compute = null,
    TimeSpan? Timeout = null)
{
    public const string Cpu = "cpu";
    public const string Gpu = "gpu";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(2);

    /// <summary>True when the run is trained by the GPU trainer job rather than in the pipeline's activity.</summary>
    [JsonIgnore]
    public bool UsesRemoteTrainer => Type == TrainerKind.Mlp || Compute == Gpu;

    public static readonly IReadOnlySet<string> MlpHyperparameters =
        new HashSet<string>(StringComparer.Ordinal) { "hiddenLayers", "hiddenUnits", "learningRate", "batchSize", "epochs", "patience", "l2Regularization", "workers", "replicas", "roundSteps" };

    public const string Sdca = "sdca";
    public const string Lbfgs = "lbfgs";

    public static readonly IReadOnlySet<string> TreeHyperparameters =
        new HashSet<string>(StringComparer.Ordinal) { "numberOfTrees", "numberOfLeaves", "learningRate", "minimumExampleCountPerLeaf" };

    public static readonly IReadOnlySet<string> LinearHyperparameters =
        new HashSet<string>(StringComparer.Ordinal) { "l1Regularization", "l2Regularization", "maximumNumberOfIterations" };

    public double? Get(string name) => Hyperparameters is not null && Hyperparameters.TryGetValue(name, out var v) ? v : null;
}
