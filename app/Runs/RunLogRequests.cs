using System.Globalization;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;

namespace Serverless.App.Runs;

/// <summary><c>GET /api/runs/{id}/logs?after=&amp;limit=</c>: the query checked field by field, the run looked up, its log read.</summary>
public sealed class RunLogRequests(IRunLauncher runs, RunLog log)
{
    public const int DefaultLimit = 200;

    public const int MaxLimit = 1000;

    public async Task<Outcome<RunLogPage>> ReadAsync(string runId, string? after, string? limit, CancellationToken ct)
    {
        List<FieldError> errors = [];
        long cursor = 0;
        if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out cursor)))
        {
            errors.Add(new FieldError(0, "after", "'after' must be 0 or the 'next' of a previous page."));
        }

        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            errors.Add(new FieldError(0, "limit", $"'limit' must be an integer from 1 to {MaxLimit}."));
        }

        if (errors.Count > 0) return new Outcome<RunLogPage>.Invalid($"Invalid run log query: {string.Join(" ", errors.Select(e => e.Message))}", errors);
        if (await runs.GetRunAsync(runId, ct).ConfigureAwait(false) is not { } run) return new Outcome<RunLogPage>.NotFound($"Run '{runId}' does not exist.");

        // A run without its input recorded cannot be placed under a model, and so has no log to read.
        if (run.Input is not { } input) return new RunLogPage([], 0, false, run.Status);
        var page = await log.ReadAsync(input.Model, runId, cursor, count, ct).ConfigureAwait(false);
        return page is null
            ? new Outcome<RunLogPage>.Invalid($"'after' ({cursor}) is not the start of a line of this run's log; pass 0 or the 'next' of a previous page.", [new FieldError(0, "after", "Not the start of a line of this run's log.")])
            : page with { RunStatus = run.Status };
    }
}
