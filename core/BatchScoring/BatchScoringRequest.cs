namespace Serverless.Core.BatchScoring;

/// <summary>Score <paramref name="InputBlob"/> (in the <c>scoring</c> container) with <paramref name="Version"/>, or the champion when null.</summary>
/// <param name="IdColumn">The input column copied into every result and error row; null: the 1-based row number is written instead.</param>
public sealed record BatchScoringRequest(string BatchId, string Model, string InputBlob, int? Version, string? IdColumn, DateTimeOffset RequestedAt);
