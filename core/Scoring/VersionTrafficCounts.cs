namespace Serverless.Core.Scoring;

/// <summary>
/// What one host saw of one version since it started (<c>predictions/_traffic/{model}/{version}/{host}.json</c>):
/// requests it answered or shadowed, those that did not succeed, and their latency buckets (<see cref="LatencyHistogram"/>).
/// Counts only grow, so the traffic of a period is the difference of two reads.
/// </summary>
public sealed record VersionTrafficCounts(string Host, long Requests, long Errors, IReadOnlyList<long> Latency)
{
    public VersionTrafficCounts Minus(VersionTrafficCounts? earlier) => earlier is null ? this : this with
    {
        Requests = Requests - earlier.Requests,
        Errors = Errors - earlier.Errors,
        Latency = [.. Latency.Select((c, i) => c - (i < earlier.Latency.Count ? earlier.Latency[i] : 0))],
    };
}
