namespace Serverless.Core.FeatureStore;

/// <summary>One incremental materialization: the source rows in (previous watermark, watermark], and the entities written.</summary>
/// <param name="SourceVersion">The source snapshot read; null when the dataset has none yet (nothing written, watermark unchanged).</param>
public sealed record MaterializationResult(string View, string Version, string? SourceVersion, DateTimeOffset? PreviousWatermark, DateTimeOffset? Watermark, int RowsInWindow, int EntitiesWritten);
