using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.App.Models;
using Serverless.App.Monitoring;
using Serverless.Core;
using Serverless.Core.Specs;

namespace Serverless.App.Http;

/// <summary>
/// The platform's HTTP handlers: each checks the route and the body's size, then hands over to an application service
/// and maps its <see cref="Outcome{T}"/>. The local host and the scorer map them with minimal APIs; the Functions app
/// calls them from HTTP triggers with the same routes, so behaviour is identical in all three.
/// </summary>
public static class PlatformApi
{
    public const string RoutePrefix = ApiRoutes.Prefix;

    public const string ModelSchemaRoute = "schemas/model.json";

    /// <summary>The JSON Schema (draft 2020-12) of <c>model.json</c>, the same file as <c>schemas/model.schema.json</c>.</summary>
    public static IResult ModelSchema() => TypedResults.Text(ModelSpecSchema.Text, ModelSpecSchema.MediaType);

    public static IResult Health() => TypedResults.Ok(new HealthResponse("ok", PlatformInfo.Version));

    public static async Task<IResult> ListModels([FromServices] PlatformApiServices s, CancellationToken ct) =>
        TypedResults.Ok(await s.Catalog.ListAsync(ct));

    public static async Task<IResult> GetModel(string model, [FromServices] ScoringApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.Catalog.GetAsync(model, ct));

    public static async Task<IResult> PutSpec(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, ModelCatalog.MaxSpecBytes, ct);
        if (body.TooLarge) return Problems.TooLarge("A model spec may be at most 1 MiB.");
        return Problems.Ok(await s.Catalog.PutSpecAsync(model, body.Bytes!, ct));
    }

    public static async Task<IResult> Predict(string model, HttpRequest request, [FromServices] ScoringApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Prediction.Options.MaxBodyBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"The request body exceeds {s.Prediction.Options.MaxBodyBytes} bytes.");
        return Problems.Ok(await s.Prediction.PredictAsync(model, body.Bytes!, request.HttpContext.TraceIdentifier, ct));
    }

    public static async Task<IResult> Promote(string model, int version, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.Catalog.PromoteAsync(model, version, ct));

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

    /// <summary><c>[{predictionId, label, observedAt?}]</c>: joins observed outcomes to logged predictions.</summary>
    public static async Task<IResult> SubmitFeedback(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Scoring.MaxBodyBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"The request body exceeds {s.Scoring.MaxBodyBytes} bytes.");
        return Problems.Ok(await s.Feedback.SubmitAsync(model, body.Bytes!, s.Scoring.MaxRows, ct));
    }

    /// <summary>Low-confidence predictions waiting for a human label, oldest first.</summary>
    public static async Task<IResult> GetLabeling(string model, [FromQuery] int? take, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        if (take is < 1 or > 1000) return Problems.BadRequest("'take' must be between 1 and 1000.");
        return TypedResults.Ok(await s.Labeling.TakeAsync(model, take ?? 50, ct));
    }

    /// <summary>Live quality per version and window, the latest drift report and the retraining state.</summary>
    public static async Task<IResult> GetMonitoring(string model, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.Monitoring.TryViewAsync(model, ct));

    /// <summary>Runs the drift and quality check now (as the timer would), with its actions.</summary>
    public static async Task<IResult> CheckMonitoring(string model, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : TypedResults.Ok(await s.Monitoring.CheckAsync(model, s.Pipeline, ct));

    /// <summary>The model's drift reports, newest first, a page at a time (<c>limit</c>, then <c>before</c> = the page's <c>next</c>).</summary>
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
    public static async Task<IResult> GetDriftReport(string model, string id, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        if (!DriftReportHistory.IsValidId(id)) return Problems.BadRequest($"'{Problems.Truncate(id)}' is not a report id (yyyyMMddTHHmmssfffZ, e.g. 20261207T010000000Z).");
        return await s.DriftReports.GetAsync(model, id, ct) is { } report ? TypedResults.Ok(report) : Problems.NotFound($"Model '{model}' has no drift report '{id}'.");
    }

    public static async Task<IResult> GetRun(string runId, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        await s.Pipeline.GetRunAsync(runId, ct) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"Run '{runId}' does not exist.");
}
