namespace Serverless.Core.Scoring;

/// <summary>The body of a successful predict call; <paramref name="Version"/> is the version that produced every row.</summary>
public sealed record PredictResponse(string Model, int Version, IReadOnlyList<Prediction> Predictions);
