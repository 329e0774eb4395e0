namespace Serverless.Core.Explanations;

/// <summary>
/// One row's attributions, per model output (one for regression and binary, one per class for multiclass), in raw
/// margin space: <c>ExpectedValue + Σ Attributions = Margin</c> (exact TreeSHAP; integrated gradients up to
/// <see cref="OutputExplanation.CompletenessGap"/>). The explainer's link says how a margin becomes the prediction.
/// </summary>
public sealed record Explanation(IReadOnlyList<OutputExplanation> Outputs);

/// <param name="Class">The class this margin belongs to (multiclass); null otherwise.</param>
/// <param name="Margin">The model's raw output for the row (trees: double-precision tree sum; MLP: the logit or prediction).</param>
/// <param name="ExpectedValue">Trees: the margin averaged over the training rows (cover-weighted); MLP: the margin at the baseline input.</param>
/// <param name="Attributions">Per input column (one-hot slots and category-set features summed into their column).</param>
public sealed record OutputExplanation(string? Class, double Margin, double ExpectedValue, IReadOnlyDictionary<string, double> Attributions)
{
    /// <summary>Approximate methods (integrated gradients): Σ Attributions − (Margin − ExpectedValue); null for exact TreeSHAP.</summary>
    public double? CompletenessGap { get; init; }
}

/// <summary>Names of the links between a margin and the prediction (<see cref="TreeExplainer.Link"/>).</summary>
public static class Links
{
    public const string Logit = "logit";
    public const string Identity = "identity";
    public const string PerClass = "per-class";
}

/// <summary>A binary model's probability from its margin: 1 / (1 + exp(−(<paramref name="Slope"/> · margin + <paramref name="Offset"/>))).</summary>
public sealed record PlattCalibration(double Slope, double Offset)
{
    public double Probability(double margin) => 1 / (1 + Math.Exp(-((Slope * margin) + Offset)));
}
