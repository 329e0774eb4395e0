namespace Serverless.Core.Specs;

/// <summary>One raw input column of a model.</summary>
/// <param name="Name">Column name as it appears in files and predict requests.</param>
/// <param name="Type">How the column is parsed and encoded.</param>
/// <param name="Nullable">Whether a missing value is allowed (numeric/boolean missing values become NaN).</param>
/// <param name="Min">Inclusive lower bound for numeric columns.</param>
/// <param name="Max">Inclusive upper bound for numeric columns.</param>
/// <param name="Categories">Allowed values for categorical columns.</param>
/// <param name="UnknownCategory">Policy for values outside <paramref name="Categories"/>.</param>
/// <param name="Log">How the value is written to the prediction log and labeling queue (raw, hashed or omitted).</param>
public sealed record FeatureSpec(
    string Name,
    FeatureType Type,
    bool Nullable = false,
    double? Min = null,
    double? Max = null,
    IReadOnlyList<string>? Categories = null,
    UnknownCategoryPolicy UnknownCategory = UnknownCategoryPolicy.Reject,
    FeatureLogMode Log = FeatureLogMode.Raw);
