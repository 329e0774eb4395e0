using System.Buffers.Text;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;

namespace Serverless.App.Runs;

/// <summary>The query string of <c>GET /api/models/{model}/runs</c>, checked field by field.</summary>
public static class RunListQuery
{
    public const int DefaultPageSize = 50;

    /// <summary>Each page reads inputs and outputs of up to this many runs from the task hub.</summary>
    public const int MaxPageSize = 200;

    /// <summary><c>status</c> and <c>trigger</c> may repeat or hold comma-separated values; every bad field is reported.</summary>
    public static Outcome<RunQuery> Parse(string model, IQueryCollection query)
    {
        var (statuses, triggers) = (query["status"], query["trigger"]);
        var (from, to, pageSize, continuationToken) = (query["from"].FirstOrDefault(), query["to"].FirstOrDefault(), query["pageSize"].FirstOrDefault(), query["continuationToken"].FirstOrDefault());
        List<FieldError> errors = [];
        var statusSet = Values("status", statuses, RunStatuses.All, errors);
        var triggerSet = Values("trigger", triggers, RunTriggers.All, errors);
        var fromAt = Instant("from", from, errors);
        var toAt = Instant("to", to, errors);
        if (fromAt > toAt) errors.Add(new FieldError(0, "from", $"'from' ({fromAt:O}) is after 'to' ({toAt:O})."));

        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            errors.Add(new FieldError(0, "pageSize", $"'pageSize' must be an integer from 1 to {MaxPageSize}."));
        }

        if (continuationToken is not null && (continuationToken.Length == 0 || !Base64Url.IsValid(continuationToken)))
        {
            errors.Add(new FieldError(0, "continuationToken", "'continuationToken' must be a value a previous page returned."));
        }

        return errors.Count > 0
            ? new Outcome<RunQuery>.Invalid($"Invalid run list query: {string.Join(" ", errors.Select(e => e.Message))}", errors)
            : new RunQuery(model, statusSet, triggerSet, fromAt, toAt, size, continuationToken);
    }

    private static HashSet<string> Values(string field, IEnumerable<string?> raw, IReadOnlyList<string> allowed, List<FieldError> errors)
    {
        var values = raw.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        foreach (var unknown in values.Where(v => !allowed.Contains(v)))
        {
            errors.Add(new FieldError(0, field, $"Unknown {field} '{(unknown.Length <= 40 ? unknown : unknown[..40] + "…")}'; one of: {string.Join(", ", allowed)}."));
        }

        return values;
    }

    private static DateTimeOffset? Instant(string field, string? raw, List<FieldError> errors)
    {
        if (raw is null) return null;
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        errors.Add(new FieldError(0, field, $"'{field}' must be an ISO 8601 date or instant (e.g. 2026-12-07T15:00:00Z)."));
        return null;
    }
}
