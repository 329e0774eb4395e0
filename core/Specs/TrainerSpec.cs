namespace Serverless.Core.Specs;

/// <summary>Which ML.NET trainer fits the model, and its hyperparameters.</summary>
/// <param name="Type">Trainer family.</param>
/// <param name="Solver">For <see cref="TrainerKind.Linear"/>: "sdca" (default) or "lbfgs".</param>
/// <param name="Hyperparameters">
/// Trainer options by name. Trees: numberOfTrees, numberOfLeaves, learningRate, minimumExampleCountPerLeaf.
/// Linear: l1Regularization, l2Regularization, maximumNumberOfIterations.
/// </param>
public sealed record TrainerSpec(
    TrainerKind Type = TrainerKind.LightGbm,
    string? Solver = null,
    IReadOnlyDictionary<string, double>? Hyperparameters = null)
{
    public const string Sdca = "sdca";
    public const string Lbfgs = "lbfgs";

    public static readonly IReadOnlySet<string> TreeHyperparameters =
        new HashSet<string>(StringComparer.Ordinal) { "numberOfTrees", "numberOfLeaves", "learningRate", "minimumExampleCountPerLeaf" };

    public static readonly IReadOnlySet<string> LinearHyperparameters =
        new HashSet<string>(StringComparer.Ordinal) { "l1Regularization", "l2Regularization", "maximumNumberOfIterations" };

    public double? Get(string name) => Hyperparameters is not null && Hyperparameters.TryGetValue(name, out var v) ? v : null;
}
