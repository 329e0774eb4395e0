namespace Serverless.Core.Scoring;

/// <summary>One scored row. Binary: label (the class names when the model has them) + score (P(positive class)). Multiclass: label + probabilities. Regression: score.</summary>
public sealed record Prediction(
    string Id,
    string? Label,
    double? Score,
    IReadOnlyDictionary<string, double>? Probabilities);
