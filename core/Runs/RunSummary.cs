using System.Text.Json.Serialization;

namespace Serverless.Core.Runs;

/// <summary>One row of <c>GET /api/models/{model}/runs</c>.</summary>
/// <param name="Status">One of <see cref="RunStatuses"/>' orchestration states.</param>
/// <param name="Outcome">A completed run's <see cref="RunOutcomes"/> value.</param>
/// <param name="Step">The step it is in (or ended in).</param>
public sealed record RunSummary(
    string RunId,
    string Model,
    string Status,
    string? Outcome,
    string Trigger,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string DatasetSha256,
    int? Version,
    string? Step,
    [property: JsonConverter(typeof(MetricsJsonConverter))] IReadOnlyDictionary<string, double>? Metrics,
    string? Error,
    string? RerunOf = null);
