namespace Serverless.Core.Runs;

/// <summary>Lines of a run's log after a cursor.</summary>
/// <param name="Next">The cursor for the next page (<c>?after=</c>): the log's byte offset after the last line returned.</param>
/// <param name="More">True when lines after <paramref name="Next"/> were already written (ask again at once).</param>
/// <param name="RunStatus">The run's status when read, as <c>GET /api/runs/{id}</c> reports it: a client tails while it is Pending or Running.</param>
public sealed record RunLogPage(IReadOnlyList<RunLogLine> Lines, long Next, bool More, string? RunStatus = null);
