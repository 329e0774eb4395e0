namespace Serverless.Core.Monitoring.Live;

/// <summary>Bound from configuration section <c>LiveQuality</c>: the limits of <c>GET …/monitoring/quality</c>.</summary>
public sealed class LiveQualitySeriesOptions
{
    public const string Section = "LiveQuality";

    /// <summary>Buckets one request may ask for (per version); more is a 400 naming <c>bucket</c>.</summary>
    public int MaxBuckets { get; set; } = 1000;

    /// <summary>
    /// Longest <c>to − from</c>. Each hour of the range costs a listing of the prediction log and of the labels, so
    /// this bounds what one request reads; the default is the longest quality window a spec may have.
    /// </summary>
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Bucket size when the request names none (widened when the range would need more than <see cref="MaxBuckets"/>).</summary>
    public TimeSpan DefaultBucket { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Labels a bucket needs before its metrics are given: below, they are null with the reason, since a metric of
    /// three labels says nothing. A request may lower or raise it (<c>minLabels</c>).
    /// </summary>
    public int MinLabels { get; set; } = 10;
}
