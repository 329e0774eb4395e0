namespace Serverless.Core.Monitoring.Labeling;

/// <summary>A prediction waiting for a human label, with the features it was made from.</summary>
public sealed record LabelingItem(
    string PredictionId,
    int Version,
    DateTimeOffset PredictedAt,
    double Confidence,
    string? PredictedLabel,
    IReadOnlyDictionary<string, object?> Features);
