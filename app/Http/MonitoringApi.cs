using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.App.Monitoring;
using Serverless.Core;
using Serverless.Core.Specs;
using Serverless.App.OpenApi;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Drift;
using Serverless.Core.Monitoring.Live;

namespace Serverless.App.Http;

/// <summary>
/// Live quality, drift checks and reports, and the labeling queue (admin: the queue shows other clients' raw
/// features, and a check can start a retraining run).
/// </summary>
public static class MonitoringApi
{
    public static IEndpointRouteBuilder MapMonitoringApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        var admin = app.MapApiGroup<TAuthFilter>(ApiRole.Admin);
        admin.MapGet("/models/{model}/labeling", GetLabeling);
        admin.MapGet("/models/{model}/monitoring", GetMonitoring);
        admin.MapGet("/models/{model}/monitoring/quality", GetLiveQuality);
        admin.MapPost("/models/{model}/monitoring/check", CheckMonitoring);
        admin.MapGet("/models/{model}/monitoring/reports", ListDriftReports);
        admin.MapGet("/models/{model}/monitoring/reports/{id}", GetDriftReport);
        return app;
    }

    /// <summary>Low-confidence predictions waiting for a human label, oldest first.</summary>
    [EndpointSummary("Low-confidence predictions waiting for a label")]
    [ProducesResponseType<IReadOnlyList<LabelingItem>>(StatusCodes.Status200OK)]
    [ProblemResponse(400)]
    public static async Task<IResult> GetLabeling(string model, [FromQuery] int? take, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        if (take is < 1 or > 1000) return Problems.BadRequest("'take' must be between 1 and 1000.");
        return TypedResults.Ok(await s.Labeling.TakeAsync(model, take ?? 50, ct));
    }

    /// <summary>Live quality per version and window, the latest drift report and the retraining state.</summary>
    [EndpointSummary("Live quality, latest drift report and retraining state")]
    [ProducesResponseType<MonitoringView>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404)]
    public static async Task<IResult> GetMonitoring(string model, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.Monitoring.TryViewAsync(model, ct));

    /// <summary>Live quality per time bucket and version, with each version's holdout metrics (see <see cref="LiveQualityQuery"/>).</summary>
    [EndpointSummary("Live quality over time, per version, against the holdout")]
    [EndpointDescription("`from`, `to` (ISO 8601; default: the spec's longest quality window up to now), `bucket` (15m, 1h, 1d or hh:mm:ss; default 1h), `minLabels` (labels a bucket needs for its metrics; default 10). At most `LiveQuality:MaxBuckets` (1000) buckets.")]
    [ProducesResponseType<LiveQualitySeries>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409)]
    [QueryParameter("from", typeof(DateTimeOffset), "Predictions logged at or after (ISO 8601).")]
    [QueryParameter("to", typeof(DateTimeOffset), "Predictions logged before (ISO 8601); default now.")]
    [QueryParameter("bucket", typeof(string), "Bucket size: 15m, 1h, 1d or hh:mm:ss.")]
    [QueryParameter("minLabels", typeof(int), "Labels a bucket needs before its metrics are given.")]
    public static async Task<IResult> GetLiveQuality(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.LiveQuality.GetAsync(model, request.Query, ct));

    /// <summary>Runs the drift and quality check now (as the timer would), with its actions.</summary>
    [EndpointSummary("Run the drift and quality check now")]
    [ProducesResponseType<MonitoringCheckResult>(StatusCodes.Status200OK)]
    [ProblemResponse(400)]
    public static async Task<IResult> CheckMonitoring(string model, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : TypedResults.Ok(await s.Monitoring.CheckAsync(model, s.Pipeline, ct));

    /// <summary>The model's drift reports, newest first, a page at a time (<c>limit</c>, then <c>before</c> = the page's <c>next</c>).</summary>
    [EndpointSummary("Drift report history, newest first")]
    [ProducesResponseType<DriftReportPage>(StatusCodes.Status200OK)]
    [ProblemResponse(400)]
    public static async Task<IResult> ListDriftReports(string model, [FromQuery] int? limit, [FromQuery] string? before, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        if (limit is < 1 or > DriftReportHistory.MaxLimit) return Problems.BadRequest($"'limit' must be between 1 and {DriftReportHistory.MaxLimit}.");
        if (before is not null && !DriftReportHistory.IsValidId(before))
        {
            return Problems.BadRequest($"'before' must be a report id (yyyyMMddTHHmmssfffZ, e.g. 20261207T010000000Z), not '{Problems.Truncate(before)}'.");
        }

        return TypedResults.Ok(await s.DriftReports.ListAsync(model, limit ?? DriftReportHistory.DefaultLimit, before, ct));
    }

    /// <summary>One drift report of the history, by its id (the check's UTC time, as listed).</summary>
    [EndpointSummary("One drift report")]
    [ProducesResponseType<DriftReport>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404)]
    public static async Task<IResult> GetDriftReport(string model, string id, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        if (!DriftReportHistory.IsValidId(id)) return Problems.BadRequest($"'{Problems.Truncate(id)}' is not a report id (yyyyMMddTHHmmssfffZ, e.g. 20261207T010000000Z).");
        return await s.DriftReports.GetAsync(model, id, ct) is { } report ? TypedResults.Ok(report) : Problems.NotFound($"Model '{model}' has no drift report '{id}'.");
    }
}
