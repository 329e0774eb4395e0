namespace Serverless.Core.Monitoring.Live;

/// <summary>
/// One version's live quality over time, with its <paramref name="Reference"/> holdout metrics from the registry
/// (null when the version has no card) to draw as the line live quality is judged against.
/// </summary>
public sealed record LiveQualityVersionSeries(
    int Version,
    IReadOnlyDictionary<string, double>? Reference,
    long Logged,
    long Labeled,
    IReadOnlyList<LiveQualityBucket> Buckets);
