namespace Serverless.Core.FeatureStore;

/// <summary>How current a view's values are.</summary>
/// <param name="SourceVersion">The source dataset's newest snapshot (its SHA-256), null when it has none yet.</param>
/// <param name="SourceRows">Rows in that snapshot.</param>
/// <param name="SourceReceivedAt">When that snapshot's file arrived.</param>
/// <param name="AgeSeconds">Seconds since then, at the time of the request.</param>
/// <param name="MaterializedThrough">The online store's watermark for this version: events up to it were materialized.</param>
public sealed record FeatureFreshness(string? SourceVersion, long? SourceRows, DateTimeOffset? SourceReceivedAt, double? AgeSeconds, DateTimeOffset? MaterializedThrough = null)
{
    public static FeatureFreshness None { get; } = new(null, null, null, null);
}
