using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.App.Runs;
using Serverless.Core;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.App.OpenApi;

namespace Serverless.App.Http;

/// <summary>Starting, listing, following, canceling and repeating training runs (admin).</summary>
public static class RunsApi
{
    /// <summary>A JSON run request names a dataset version: a few dozen bytes.</summary>
    public const int MaxStartRequestBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapRunsApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        var admin = app.MapApiGroup<TAuthFilter>(ApiRole.Admin);
        admin.MapPost("/models/{model}/runs", StartRun);
        admin.MapGet("/models/{model}/runs", ListRuns);
        admin.MapGet("/runs/{runId}", GetRun);
        admin.MapGet("/runs/{runId}/logs", GetRunLogs);
        admin.MapPost("/runs/{runId}/cancel", CancelRun);
        admin.MapPost("/runs/{runId}/rerun", Rerun);
        return app;
    }

    [EndpointSummary("Start a training run")]
    [EndpointDescription("On a stored dataset version (`{\"datasetVersion\": \"<sha256>\"}`) or on a CSV/Parquet body (`?fileName=` is recorded).")]
    [RequestBody(typeof(StartRunRequest))]
    [RequestBody(typeof(byte[]), "text/csv", "application/octet-stream")]
    [ProducesResponseType<RunStarted>(StatusCodes.Status202Accepted)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409), ProblemResponse(413)]
    [QueryParameter("fileName", typeof(string), "The uploaded file's name, recorded with the run (never used as a path).")]
    public static async Task<IResult> StartRun(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        Outcome<RunStarted> started;
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = await BodyReader.ReadAsync(request, MaxStartRequestBytes, ct);
            if (body.TooLarge) return Problems.TooLarge($"A JSON run request is limited to {MaxStartRequestBytes} bytes.");
            started = await s.Runs.StartOnDatasetVersionAsync(model, body.Bytes!, ct);
        }
        else
        {
            // A dataset body streams to storage; a declared length over the cap is refused before a byte is read.
            var max = s.Scoring.MaxUploadBytes;
            if (request.ContentLength > max) return Problems.TooLarge(RunRequests.TooLargeDetail(max));
            if (request.ContentLength == 0) return Problems.BadRequest(RunRequests.EmptyBody);
            started = await s.Runs.StartOnUploadAsync(model, request.Body, request.Query["fileName"].FirstOrDefault(), max, ct);
        }

        return Problems.Map(started, r => TypedResults.Accepted(r.StatusUrl, r));
    }

    /// <summary>Paged: <c>?status=&amp;trigger=&amp;from=&amp;to=&amp;pageSize=&amp;continuationToken=</c> (see <see cref="RunListQuery"/>).</summary>
    [EndpointSummary("A model's runs, paged and filtered")]
    [EndpointDescription("`status`, `trigger`, `from`, `to`, `pageSize` (at most 200), `continuationToken`.")]
    [ProducesResponseType<RunPage>(StatusCodes.Status200OK)]
    [ProblemResponse(400)]
    [QueryParameter("status", typeof(string), "Comma-separated run statuses.")]
    [QueryParameter("trigger", typeof(string), "Comma-separated triggers.")]
    [QueryParameter("from", typeof(DateTimeOffset), "Created at or after (ISO 8601).")]
    [QueryParameter("to", typeof(DateTimeOffset), "Created at or before (ISO 8601).")]
    [QueryParameter("pageSize", typeof(int), "1 to 200; default 50.")]
    [QueryParameter("continuationToken", typeof(string), "The previous page's continuationToken.")]
    public static async Task<IResult> ListRuns(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var query = RunListQuery.Parse(model, request.Query);
        return query is Outcome<RunQuery>.Done d ? TypedResults.Ok(await s.RunHistory.ListAsync(d.Value, ct)) : Problems.Ok(query);
    }

    [EndpointSummary("A run: status, steps, timings, result and gate report")]
    [ProducesResponseType<RunDetail>(StatusCodes.Status200OK)]
    [ProblemResponse(404)]
    public static async Task<IResult> GetRun(string runId, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        await s.RunHistory.GetAsync(runId, ct) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"Run '{runId}' does not exist.");

    [EndpointSummary("A run's log lines after a cursor (tail with ?after=next while the run is running)")]
    [EndpointDescription("`after`: the previous page's `next` (0 or absent: from the start); `limit`: 1 to 1000 lines, default 200.")]
    [ProducesResponseType<RunLogPage>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404)]
    [QueryParameter("after", typeof(long), "The previous page's next (a byte offset into the log); default 0.")]
    [QueryParameter("limit", typeof(int), "1 to 1000; default 200.")]
    public static async Task<IResult> GetRunLogs(string runId, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        Problems.Ok(await s.RunLogs.ReadAsync(runId, request.Query["after"].FirstOrDefault(), request.Query["limit"].FirstOrDefault(), ct));

    /// <summary>202 once termination is requested; the caller is recorded with the cancel.</summary>
    [EndpointSummary("Cancel a pending or running run")]
    [ProducesResponseType<RunCancelAccepted>(StatusCodes.Status202Accepted)]
    [ProblemResponse(404), ProblemResponse(409)]
    public static async Task<IResult> CancelRun(string runId, HttpContext http, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        Problems.Map(await s.RunHistory.CancelAsync(runId, ApiCaller.Describe(http.User), ct), r => TypedResults.Accepted(r.StatusUrl, r));

    [EndpointSummary("Run again on the run's dataset version under the current spec")]
    [ProducesResponseType<RunStarted>(StatusCodes.Status202Accepted)]
    [ProblemResponse(404), ProblemResponse(409)]
    public static async Task<IResult> Rerun(string runId, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        Problems.Map(await s.RunHistory.RerunAsync(runId, ct), r => TypedResults.Accepted(r.StatusUrl, r));
}
