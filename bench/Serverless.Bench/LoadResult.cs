namespace Serverless.Bench;

/// <summary>One closed-loop load run against one endpoint: latency percentiles (ms), completed requests per second, and
/// what the runtime did meanwhile (<see cref="RuntimeActivity"/>); <paramref name="MaxRss"/> is this process's peak resident set, bytes.</summary>
internal sealed record LoadResult(double P50, double P99, double RequestsPerSecond, long Requests, long Errors, string Runtime, long MaxRss);
