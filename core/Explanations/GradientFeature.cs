using Serverless.Core.Specs;

namespace Serverless.Core.Explanations;

/// <summary>
/// One raw input as the MLP reads it, and its integrated-gradients baseline. Numeric/boolean: NaN → <see cref="Mean"/>,
/// then (x − mean) / std, baseline the training mean. Categorical: one network input per <see cref="Categories"/>
/// entry (unknown or missing → all zeros), baseline <see cref="BaselineCategory"/> (the most frequent training value).
/// </summary>
public sealed record GradientFeature(string Name, FeatureType Type, float Mean, float Std, IReadOnlyList<string>? Categories, string? BaselineCategory)
{
    public int Width => Type == FeatureType.Categorical ? Categories!.Count : 1;
}
