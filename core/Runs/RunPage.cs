namespace Serverless.Core.Runs;

/// <param name="ContinuationToken">Pass as <c>continuationToken</c> for the next page; null on the last one.</param>
public sealed record RunPage(IReadOnlyList<RunSummary> Runs, string? ContinuationToken);
