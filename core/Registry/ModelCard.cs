using Serverless.Core.Evaluation;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;
using Serverless.Core.FeatureStore;

namespace Serverless.Core.Registry;

/// <summary>Everything needed to audit, reproduce and serve one registered model version.</summary>
public sealed record ModelCard
{
    public required string Model { get; init; }

    public int Version { get; init; }

    public required string RunId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required ModelTask Task { get; init; }

    /// <summary>The raw input columns the ONNX graph takes, with the contract used to validate predict requests.</summary>
    public required IReadOnlyList<FeatureSpec> Inputs { get; init; }

    /// <summary>The spec's missing-value tokens: a predict value equal to one (after trimming) is missing, as at ingest.</summary>
    public IReadOnlyList<string> MissingValues { get; init; } = ModelSpec.DefaultMissingValues;

    /// <summary>The spec's allowExtraColumns: predict then ignores fields that are not inputs, as ingest ignores such columns.</summary>
    public bool AllowExtraColumns { get; init; }

    /// <summary>
    /// Multiclass: class labels in probability order. Binary stated with class names (spec <c>positiveClass</c>):
    /// [negative, positive], the names predict answers with. Null for boolean-like binary labels and regression.
    /// </summary>
    public IReadOnlyList<string>? ClassLabels { get; init; }

    public required TrainerKind Trainer { get; init; }

    public required IReadOnlyDictionary<string, string> TrainerParameters { get; init; }

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    public required GateReport Gate { get; init; }

    public required string DatasetSha256 { get; init; }

    public long TrainRows { get; init; }

    public long HoldoutRows { get; init; }

    public required string SpecSha256 { get; init; }

    public required string PlatformVersion { get; init; }

    public double FitSeconds { get; init; }

    /// <summary>Where the version was trained and why (the pipeline's activity or the trainer job); null on older cards.</summary>
    public TrainingPlacement? Placement { get; init; }

    /// <summary>
    /// Tree models: mean |SHAP| per input column (raw margin space, summed over classes) on the first holdout rows,
    /// from exact TreeSHAP at training time (<c>explainer.json</c> holds the row count). Null for other trainers.
    /// </summary>
    public IReadOnlyDictionary<string, double>? GlobalImportance { get; init; }

    /// <summary>
    /// Every trainer: per input column, how much <see cref="PermutationMetric"/> worsens on the holdout (up to 2,000
    /// rows) when the column is shuffled, mean of 2 seeded shuffles; near zero or negative = the model does not rely on it.
    /// </summary>
    public IReadOnlyDictionary<string, double>? PermutationImportance { get; init; }

    /// <summary>The holdout metric <see cref="PermutationImportance"/> is measured in (the spec's comparison metric, else by task).</summary>
    public string? PermutationMetric { get; init; }

    /// <summary>
    /// SHA-256 (lower-case hex) of this version's <c>model.onnx</c>, set by <see cref="ModelRegistry.RegisterAsync"/> and
    /// verified before the scorer serves it (<see cref="ModelIntegrity"/>). Null on cards registered before it existed.
    /// </summary>
    public string? ModelSha256 { get; init; }

    /// <summary>The hyperparameter sweep the version's parameters came from (spec <c>search</c>); null without one.</summary>
    public SweepSummary? Sweep { get; init; }
    /// <summary>Model card: what the model does (spec <c>description</c>).</summary>
    public string? Description { get; init; }

    /// <summary>Model card: who answers for the model (spec <c>owner</c>).</summary>
    public string? Owner { get; init; }

    /// <summary>Model card: what it was built and validated for (spec <c>intendedUse</c>).</summary>
    public string? IntendedUse { get; init; }

    /// <summary>Model card: the dataset, its ingest and split, the spec and the previous champion. Null on older cards.</summary>
    public ModelCardLineage? Lineage { get; init; }

    /// <summary>Model card: holdout metrics per category of the spec's <c>card.slices</c> columns.</summary>
    public IReadOnlyList<ModelCardSlice>? Slices { get; init; }

    /// <summary>Model card: reliability bins and ECE (classification) or residual quantiles (regression) on the holdout.</summary>
    public ModelCardCalibration? Calibration { get; init; }

    /// <summary>Model card: the spec's limitations text and the ones measured at training time.</summary>
    public ModelCardLimitations? Limitations { get; init; }
    /// <summary>The feature views (and their versions) the model was trained on; scoring fetches them by entity key.</summary>
    public IReadOnlyList<FeatureViewLineage>? FeatureViews { get; init; }
}
