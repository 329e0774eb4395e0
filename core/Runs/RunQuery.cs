namespace Serverless.Core.Runs;

/// <summary>One page of <c>GET /api/models/{model}/runs</c>, already validated.</summary>
/// <param name="Statuses">Any of <see cref="RunStatuses.All"/>; empty: every run.</param>
/// <param name="Triggers">Any of <see cref="RunTriggers.All"/>; empty: every run.</param>
/// <param name="From">Runs created at or after this instant.</param>
/// <param name="To">Runs created at or before this instant.</param>
/// <param name="ContinuationToken">Where the previous page ended (<see cref="RunPage.ContinuationToken"/>).</param>
public sealed record RunQuery(
    string Model,
    IReadOnlySet<string> Statuses,
    IReadOnlySet<string> Triggers,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int PageSize,
    string? ContinuationToken)
{
    /// <summary>Whether <paramref name="run"/> passes the status and trigger filters (the date range is the store's to apply).</summary>
    public bool Matches(RunSummary run) =>
        (Statuses.Count == 0 || Statuses.Contains(run.Status) || (RunStatuses.OfOutcome(run.Outcome) is { } o && Statuses.Contains(o)))
        && (Triggers.Count == 0 || Triggers.Contains(run.Trigger));
}
