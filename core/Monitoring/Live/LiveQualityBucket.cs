namespace Serverless.Core.Monitoring.Live;

/// <summary>
/// One version's predictions logged in [<paramref name="From"/>, <paramref name="To"/>): how many, how many got labels,
/// and the task's metrics on the labeled ones. A metric is null when it cannot be trusted or computed
/// (<paramref name="Unmeasured"/> says why: no labels, fewer than the minimum, or one class only for AUC).
/// </summary>
public sealed record LiveQualityBucket(
    DateTimeOffset From,
    DateTimeOffset To,
    long Logged,
    long Labeled,
    double? Coverage,
    IReadOnlyDictionary<string, double?> Metrics,
    string? Unmeasured);
