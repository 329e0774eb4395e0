using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Live;

/// <summary>
/// The body of <c>GET /api/models/{model}/monitoring/quality</c>: live quality per time bucket and version, for every
/// version with predictions logged in the range. <paramref name="Metrics"/> names the task's metrics (each bucket has
/// every one, null when unmeasured); a bucket needs <paramref name="MinLabels"/> labels for its metrics to be given.
/// </summary>
public sealed record LiveQualitySeries(
    string Model,
    ModelTask Task,
    DateTimeOffset From,
    DateTimeOffset To,
    TimeSpan Bucket,
    int MinLabels,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<LiveQualityVersionSeries> Versions);
