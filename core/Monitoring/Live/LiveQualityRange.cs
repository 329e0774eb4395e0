namespace Serverless.Core.Monitoring.Live;

/// <summary>
/// [<paramref name="From"/>, <paramref name="To"/>) cut into buckets of <paramref name="Bucket"/> from <paramref name="From"/>;
/// the last one ends at <paramref name="To"/> and may be shorter. A prediction belongs to the bucket its logged time falls in.
/// </summary>
public sealed record LiveQualityRange(DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket)
{
    public long BucketCount => Count(To - From, Bucket);

    /// <summary>How many buckets of <paramref name="bucket"/> cover <paramref name="span"/> (the last one partial).</summary>
    public static long Count(TimeSpan span, TimeSpan bucket) => (span.Ticks + bucket.Ticks - 1) / bucket.Ticks;

    /// <summary>The bucket of <paramref name="at"/>, or −1 outside the range.</summary>
    public int IndexOf(DateTimeOffset at) => at < From || at >= To ? -1 : (int)((at - From).Ticks / Bucket.Ticks);

    public DateTimeOffset StartOf(int index) => From + (Bucket * index);

    public DateTimeOffset EndOf(int index) => index == BucketCount - 1 ? To : StartOf(index + 1);

    /// <summary><paramref name="at"/> rounded down to a whole multiple of <paramref name="bucket"/> since the Unix epoch (UTC).</summary>
    public static DateTimeOffset Align(DateTimeOffset at, TimeSpan bucket)
    {
        var since = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new DateTimeOffset(at.UtcTicks - (since % bucket.Ticks), TimeSpan.Zero);
    }
}
