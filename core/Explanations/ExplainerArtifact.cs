namespace Serverless.Core.Explanations;

/// <summary>
/// What explaining a registered version needs beyond its <c>model.onnx</c> (stored beside it as <c>explainer.json</c>):
/// the node covers of every tree, counted by routing the training rows through the exported trees, and the global
/// importance measured on the holdout. Tied to one model file by its SHA-256.
/// </summary>
public sealed record ExplainerArtifact
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    /// <summary>SHA-256 of the <c>model.onnx</c> these covers were counted on (lower-case hex).</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>Training rows routed to count the covers.</summary>
    public required long CoverRows { get; init; }

    /// <summary>Covers per ensemble output (graph order), per tree, per node (graph order within the tree).</summary>
    public required IReadOnlyList<IReadOnlyList<double[]>> Covers { get; init; }

    /// <summary>Mean |SHAP| per input column on the holdout, summed over outputs; null when not measured.</summary>
    public IReadOnlyDictionary<string, double>? GlobalImportance { get; init; }

    /// <summary>Holdout rows <see cref="GlobalImportance"/> was averaged over.</summary>
    public long ImportanceRows { get; init; }
}
