using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.Core;
using Serverless.Core.Specs;

namespace Serverless.App.Http;

/// <summary>Starting and following training runs (admin).</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        var admin = app.MapApiGroup<TAuthFilter>(ApiRole.Admin);
        admin.MapPost("/models/{model}/runs", StartRun);
        admin.MapGet("/runs/{runId}", GetRun);
        return app;
    }

    public static async Task<IResult> StartRun(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Scoring.MaxUploadBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"Uploads are limited to {s.Scoring.MaxUploadBytes} bytes; drop larger files into blob storage.");
        var started = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true
            ? await s.Runs.StartOnDatasetVersionAsync(model, body.Bytes!, ct)
            : await s.Runs.StartOnUploadAsync(model, body.Bytes!, request.Query["fileName"].FirstOrDefault(), ct);
        return Problems.Map(started, r => TypedResults.Accepted(r.StatusUrl, r));
    }

    public static async Task<IResult> GetRun(string runId, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        await s.Pipeline.GetRunAsync(runId, ct) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"Run '{runId}' does not exist.");
}
