using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;

namespace Serverless.App.Models;

// The body of GET /api/models/{model}/versions/compare?a=&b=: two registered versions side by side. Deltas are b − a.

/// <param name="Metrics">Every metric either version has, with b − a and which is better.</param>
/// <param name="Parameters">Only trainer parameters that differ (absent on one side: null there).</param>
/// <param name="Spec">Only spec values that differ, by JSON path; null when a run's frozen spec is gone.</param>
public sealed record VersionComparison(
    string Model,
    VersionSide A,
    VersionSide B,
    IReadOnlyList<MetricDelta> Metrics,
    IReadOnlyList<ValueChange> Parameters,
    DatasetComparison Dataset,
    IReadOnlyList<ValueChange>? Spec);

public sealed record VersionSide(
    int Version,
    string RunId,
    DateTimeOffset CreatedAt,
    TrainerKind Trainer,
    bool GatePassed,
    double FitSeconds,
    string SpecSha256,
    TrainingPlacement? Placement);

/// <param name="Better">"a", "b", "tie", or null when either value is missing.</param>
public sealed record MetricDelta(string Metric, double? A, double? B, double? Delta, string? Better);

public sealed record ValueChange(string Name, string? A, string? B);

/// <param name="Schema">Columns whose presence, kind or role differs ("float feature", null when absent).</param>
/// <param name="Features">Features whose training distribution differs (from each version's drift reference).</param>
public sealed record DatasetComparison(
    bool SameVersion,
    DatasetSide A,
    DatasetSide B,
    IReadOnlyList<ValueChange> Schema,
    IReadOnlyList<FeatureProfileChange> Features);

/// <param name="Rows">Valid rows of the dataset version (null when its manifest is gone).</param>
public sealed record DatasetSide(string Sha256, long? Rows, long TrainRows, long HoldoutRows, long? DroppedRows, string? SourceName, DateTimeOffset? ReceivedAt, DatasetLineage? Lineage);

/// <summary>One feature's reference profile in each version: missing share, mean and spread, or categories seen by one only.</summary>
public sealed record FeatureProfileChange(
    string Feature,
    double? MissingShareA,
    double? MissingShareB,
    double? MeanA,
    double? MeanB,
    double? StdA,
    double? StdB,
    IReadOnlyList<string>? CategoriesOnlyInA,
    IReadOnlyList<string>? CategoriesOnlyInB);
