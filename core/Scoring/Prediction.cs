namespace Serverless.Core.Scoring;

/// <summary>One scored row. Binary: label + score (P(true)). Multiclass: label + probabilities. Regression: score.</summary>
public sealed record Prediction(
    string Id,
    string? Label,
    double? Score,
    IReadOnlyDictionary<string, double>? Probabilities);
