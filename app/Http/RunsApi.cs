using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.App.Runs;
using Serverless.Core;
using Serverless.Core.Runs;
using Serverless.Core.Specs;

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
        admin.MapPost("/runs/{runId}/cancel", CancelRun);
        admin.MapPost("/runs/{runId}/rerun", Rerun);
        return app;
    }

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
    public static async Task<IResult> ListRuns(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var query = RunListQuery.Parse(model, request.Query);
        return query is Outcome<RunQuery>.Done d ? TypedResults.Ok(await s.RunHistory.ListAsync(d.Value, ct)) : Problems.Ok(query);
    }

    public static async Task<IResult> GetRun(string runId, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        await s.RunHistory.GetAsync(runId, ct) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"Run '{runId}' does not exist.");

    /// <summary>202 once termination is requested; the caller is recorded with the cancel.</summary>
    public static async Task<IResult> CancelRun(string runId, HttpContext http, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        Problems.Map(await s.RunHistory.CancelAsync(runId, ApiCaller.Describe(http.User), ct), r => TypedResults.Accepted(r.StatusUrl, r));

    public static async Task<IResult> Rerun(string runId, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        Problems.Map(await s.RunHistory.RerunAsync(runId, ct), r => TypedResults.Accepted(r.StatusUrl, r));
}
