using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

/// <summary>Which ML.NET trainer fits the model, and its hyperparameters.</summary>
/// <param name="Type">Trainer family.</param>
/// <param name="Solver">For <see cref="TrainerKind.Linear"/>: "sdca" (default) or "lbfgs".</param>
/// <param name="Hyperparameters">
/// Trainer options by name. Trees: numberOfTrees, numberOfLeaves, learningRate, minimumExampleCountPerLeaf.
/// Linear: l1Regularization, l2Regularization, maximumNumberOfIterations.
/// </param>
/// <param name="Compute">Where the run trains. "auto" (default, also when absent): in the pipeline's activity unless the data
/// would not fit the host's memory, then on the trainer job (<see cref="Routing.TrainingRouter"/>). "cpu": always in
/// the activity. "job": always on the trainer job (its queue; a Container Apps job in Azure, the local host's in-process
/// worker locally). "gpu": the same job, which uses a GPU when it has one (for an mlp; tree/linear trainers have no GPU
/// path). A <see cref="TrainerKind.Mlp"/> always trains on the job.</param>
/// <param name="Timeout">How long the pipeline waits for the trainer job's result (default 2 h).</param>
public sealed record TrainerSpec(
    TrainerKind Type = TrainerKind.LightGbm,
    string? Solver = null,
    IReadOnlyDictionary<string, double>? Hyperparameters = null,
    string? Compute = null,
    TimeSpan? Timeout = null)
{
    public const string Auto = "auto";
    public const string Cpu = "cpu";
    public const string Job = "job";
    public const string Gpu = "gpu";

    public static readonly IReadOnlyList<string> ComputeValues = [Auto, Cpu, Job, Gpu];

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(2);

    /// <summary>Trees of a tree trainer without a numberOfTrees hyperparameter.</summary>
    public const int DefaultNumberOfTrees = 100;

    /// <summary>Epochs of an mlp without an epochs hyperparameter.</summary>
    public const int DefaultEpochs = 50;

    /// <summary>True when the run always trains in the pipeline's activity, whatever its size (compute "cpu", not an mlp).</summary>
    [JsonIgnore]
    public bool AlwaysInActivity => Type != TrainerKind.Mlp && Compute == Cpu;

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
