using Serverless.Core.Specs;

namespace Serverless.Core.Training.Mlp;

/// <summary>
/// How one raw feature becomes network inputs. Numeric/boolean: NaN → <see cref="Mean"/>, then (x − mean) / std
/// (one input). Categorical: one input per <see cref="Categories"/> entry; unknown or missing → all zeros.
/// </summary>
public sealed record MlpFeature(string Name, FeatureType Type, float Mean, float Std, IReadOnlyList<string>? Categories)
{
    public int Width => Type == FeatureType.Categorical ? Categories!.Count : 1;
}
