using System.Diagnostics;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Telemetry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Durable.Monitoring;
using Serverless.Durable.Pipeline;

namespace Serverless.Durable.Api;

/// <summary>
/// The platform's HTTP handlers. The local host maps them with minimal APIs; the Functions app calls them from
/// HTTP triggers with the same routes, so behaviour is identical in both.
/// </summary>
public static class PlatformApi
{
    public const string RoutePrefix = "api";

    public const string ModelSchemaRoute = "schemas/model.json";

    /// <summary>The JSON Schema (draft 2020-12) of <c>model.json</c>, the same file as <c>schemas/model.schema.json</c>.</summary>
    public static IResult ModelSchema() => TypedResults.Text(ModelSpecSchema.Text, ModelSpecSchema.MediaType);

    public static Ok<HealthResponse> Health() => TypedResults.Ok(new HealthResponse("ok", PipelineActivities.PlatformVersion));

    public static async Task<Ok<List<ModelSummary>>> ListModels([FromServices] PlatformApiServices s, CancellationToken ct)
    {
        var result = new List<ModelSummary>();
        foreach (var model in await s.Registry.ListModelsAsync(ct))
        {
            var versions = await s.Registry.ListVersionsAsync(model, ct);
            var aliases = await s.Registry.GetAliasesAsync(model, ct);
            var hasSpec = await s.Storage.Models.GetBlobClient(BlobLayout.SpecBlob(model)).ExistsAsync(ct);
            result.Add(new ModelSummary(model, hasSpec, aliases.Get(ModelAliases.Champion), versions.Count));
        }

        return TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<ModelDetails>, NotFound<ProblemResult>, BadRequest<ProblemResult>>> GetModel(string model, [FromServices] ScoringApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        var stored = await StoredModelSpec.TryLoadAsync(s.Storage, model, ct);
        var versions = await s.Registry.ListVersionsAsync(model, ct);
        if (stored is null && versions.Count == 0)
        {
            return TypedResults.NotFound(new ProblemResult($"Model '{model}' does not exist."));
        }

        var aliases = await s.Registry.GetAliasesAsync(model, ct);
        return TypedResults.Ok(new ModelDetails(
            model,
            stored is { IsValid: true } ? stored.Spec : null,
            aliases.Aliases,
            versions.Select(v => new VersionSummary(v.Version, v.Card.CreatedAt, v.Card.RunId, v.Card.Trainer, v.Card.Metrics, v.Card.Gate.Passed, v.Card.DatasetSha256, v.Aliases)).ToList(),
            aliases.History,
            stored is { IsValid: false } ? stored.Problems : null));
    }

    public static async Task<Results<Ok<SpecStored>, BadRequest<SpecErrors>, BadRequest<ProblemResult>, ProblemHttpResult>> PutSpec(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        var body = await BodyReader.ReadAsync(request, 1024 * 1024, ct);
        if (body.TooLarge) return TooLarge("A model spec may be at most 1 MiB.");

        var parsed = ModelSpecValidator.Parse(System.Text.Encoding.UTF8.GetString(body.Bytes!));
        if (parsed.Spec is null || parsed.Problems.Count > 0)
        {
            return TypedResults.BadRequest(new SpecErrors($"The spec for '{model}' has {parsed.Problems.Count} problem(s).", parsed.Problems));
        }

        await BlobJson.UploadAsync(s.Storage.Models.GetBlobClient(BlobLayout.SpecBlob(model)), parsed.Spec, ct);
        return TypedResults.Ok(new SpecStored(model, PipelineActivities.SpecHash(parsed.Spec)));
    }

    public static async Task<Results<Ok<PredictResponse>, NotFound<ProblemResult>, BadRequest<RequestErrors>, BadRequest<ProblemResult>, ProblemHttpResult>> Predict(
        string model, HttpRequest request, [FromServices] ScoringApiServices s, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Scoring.MaxBodyBytes, ct);
        if (body.TooLarge) return TooLarge($"The request body exceeds {s.Scoring.MaxBodyBytes} bytes.");

        using var json = BodyReader.TryParseJson(body.Bytes!, out var jsonError);
        if (json is null)
        {
            return TypedResults.BadRequest(new RequestErrors("Malformed JSON.", [new FieldError(-1, "", jsonError!)]));
        }

        if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            return TypedResults.BadRequest(new RequestErrors("Invalid request.", [new FieldError(-1, "rows", "The body must be an object with a 'rows' array.")]));
        }

        var count = rows.GetArrayLength();
        if (count == 0)
        {
            return TypedResults.BadRequest(new RequestErrors("Invalid request.", [new FieldError(-1, "rows", "At least one row is required.")]));
        }

        if (count > s.Scoring.MaxRows) return TooLarge($"{count} rows exceed the limit of {s.Scoring.MaxRows} per request.");

        LoadedModel? champion;
        try
        {
            champion = await s.Server.GetChampionAsync(model, ct);
        }
        catch (RequestFailedException)
        {
            return TypedResults.Problem($"Model '{model}' is not loaded and storage is unreachable.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (champion is null)
        {
            return TypedResults.NotFound(new ProblemResult($"Model '{model}' has no champion (unknown model, or no version promoted yet)."));
        }

        var errors = new List<FieldError>();
        var table = PredictionRequestParser.Parse(rows, champion.RequestSchema, errors);
        var tags = new TagList { { "model", model }, { "version", champion.Card.Version }, { "provider", ModelServer.ProviderTag(champion.Onnx.Provider) } };
        if (table is null)
        {
            PlatformTelemetry.RequestErrors.Add(errors.Count, tags);
            return TypedResults.BadRequest(new RequestErrors($"{errors.Count} field error(s) against {model} v{champion.Card.Version}'s inputs.", errors));
        }

        var response = await s.Scorer.PredictAsync(champion, table, ct);
        var monitoring = s.Server.MonitoringFor(model);
        if (monitoring.SampleRate >= 1 || Random.Shared.NextDouble() < monitoring.SampleRate)
        {
            s.Log.Offer(new PredictionLogEntry(model, response.Version, champion.Card.Task, request.HttpContext.TraceIdentifier, s.Time.GetUtcNow(), table, response.Predictions, monitoring.LabelingConfidenceThreshold));
        }

        PlatformTelemetry.Predictions.Add(response.Predictions.Count, tags);
        PlatformTelemetry.PredictDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
        return TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<PromoteResponse>, NotFound<ProblemResult>, BadRequest<ProblemResult>, ProblemHttpResult>> Promote(string model, int version, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        try
        {
            var change = await s.Registry.SetAliasAsync(model, ModelAliases.Champion, version, "manual promotion via API", ct);
            s.Server.InvalidateChampion(model);
            return TypedResults.Ok(new PromoteResponse(model, change.Alias, change.Version, change.PreviousVersion));
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.NotFound(new ProblemResult(e.Message));
        }
        catch (RegistryConflictException e)
        {
            // Many promotions/rollbacks at once: this one did not get its turn. Nothing changed; the caller may retry.
            return TypedResults.Problem(
                $"Version {version} of '{model}' was not promoted: {e.Message}",
                statusCode: StatusCodes.Status409Conflict,
                title: "Concurrent alias change");
        }
    }

    public static async Task<Results<Accepted<RunStarted>, NotFound<ProblemResult>, BadRequest<ProblemResult>, ProblemHttpResult>> StartRun(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Scoring.MaxUploadBytes, ct);
        if (body.TooLarge) return TooLarge($"Uploads are limited to {s.Scoring.MaxUploadBytes} bytes; drop larger files into blob storage.");

        string runId;
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            StartRunRequest? start;
            try
            {
                start = JsonSerializer.Deserialize<StartRunRequest>(body.Bytes!, PlatformJson.Options);
            }
            catch (JsonException e)
            {
                return TypedResults.BadRequest(new ProblemResult("Malformed JSON: " + e.Message));
            }

            if (start?.DatasetVersion is not { Length: 64 } sha || !sha.All(Uri.IsHexDigit))
            {
                return TypedResults.BadRequest(new ProblemResult("Field 'datasetVersion' must be the 64-hex SHA-256 of a dataset version."));
            }

            if (!await s.Storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(model, sha)).ExistsAsync(ct))
            {
                return TypedResults.NotFound(new ProblemResult($"Model '{model}' has no dataset version {sha}."));
            }

            runId = await s.Pipeline.StartOnDatasetVersionAsync(model, sha, $"dataset version {sha}", ct);
        }
        else
        {
            if (body.Bytes!.Length == 0)
            {
                return TypedResults.BadRequest(new ProblemResult("Send a CSV or Parquet file as the body, or JSON {\"datasetVersion\": \"<sha256>\"}."));
            }

            // An upload is an explicit request to train: it gets a run even if the same bytes were dropped before.
            var name = request.Query["fileName"].FirstOrDefault() is { Length: > 0 } f ? Path.GetFileName(f) : $"upload-{s.Time.GetUtcNow():yyyyMMddHHmmssfff}.csv";
            var blobName = BlobLayout.UploadBlob(model, $"{s.Time.GetUtcNow():yyyyMMddHHmmssfff}-{name}");
            await s.Storage.Datasets.GetBlobClient(blobName).UploadAsync(new BinaryData(body.Bytes), overwrite: true, ct);
            runId = await s.Pipeline.StartOnUploadAsync(model, blobName, name, ContentHash.Sha256Hex(new MemoryStream(body.Bytes, writable: false)), ct);
        }

        return TypedResults.Accepted($"/{RoutePrefix}/runs/{runId}", new RunStarted(runId, $"/{RoutePrefix}/runs/{runId}"));
    }

    /// <summary><c>[{predictionId, label, observedAt?}]</c>: joins observed outcomes to logged predictions.</summary>
    public static async Task<Results<Ok<FeedbackResult>, NotFound<ProblemResult>, BadRequest<ProblemResult>, Conflict<SpecErrors>, ProblemHttpResult>> SubmitFeedback(
        string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Scoring.MaxBodyBytes, ct);
        if (body.TooLarge) return TooLarge($"The request body exceeds {s.Scoring.MaxBodyBytes} bytes.");

        List<FeedbackItem>? items;
        try
        {
            items = JsonSerializer.Deserialize<List<FeedbackItem>>(body.Bytes!, PlatformJson.Options);
        }
        catch (JsonException e)
        {
            return TypedResults.BadRequest(new ProblemResult("Expected a JSON array of {predictionId, label, observedAt?}: " + e.Message));
        }

        if (items is null || items.Count == 0)
        {
            return TypedResults.BadRequest(new ProblemResult("Expected a non-empty JSON array of {predictionId, label, observedAt?}."));
        }

        if (items.Count > s.Scoring.MaxRows) return TooLarge($"{items.Count} labels exceed the limit of {s.Scoring.MaxRows} per request.");
        ModelSpec? spec;
        try
        {
            spec = await StoredModelSpec.LoadValidAsync(s.Storage, model, ct);
        }
        catch (InvalidModelSpecException e)
        {
            return InvalidStoredSpec(e);
        }

        if (spec is null)
        {
            return TypedResults.NotFound(new ProblemResult($"Model '{model}' does not exist."));
        }

        return TypedResults.Ok(await s.Feedback.SubmitAsync(model, spec, items, ct));
    }

    /// <summary>Low-confidence predictions waiting for a human label, oldest first.</summary>
    public static async Task<Results<Ok<IReadOnlyList<LabelingItem>>, BadRequest<ProblemResult>>> GetLabeling(
        string model, [FromQuery] int? take, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        if (take is < 1 or > 1000) return TypedResults.BadRequest(new ProblemResult("'take' must be between 1 and 1000."));
        return TypedResults.Ok(await s.Labeling.TakeAsync(model, take ?? 50, ct));
    }

    /// <summary>Live quality per version and window, the latest drift report and the retraining state.</summary>
    public static async Task<Results<Ok<MonitoringView>, NotFound<ProblemResult>, BadRequest<ProblemResult>, Conflict<SpecErrors>>> GetMonitoring(
        string model, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        try
        {
            return TypedResults.Ok(await s.Monitoring.ViewAsync(model, ct));
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.NotFound(new ProblemResult(e.Message));
        }
        catch (InvalidModelSpecException e)
        {
            return InvalidStoredSpec(e);
        }
    }

    /// <summary>Runs the drift and quality check now (as the timer would), with its actions.</summary>
    public static async Task<Results<Ok<MonitoringCheckResult>, BadRequest<ProblemResult>>> CheckMonitoring(
        string model, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        return TypedResults.Ok(await s.Monitoring.CheckAsync(model, s.Pipeline, ct));
    }

    /// <summary>The model's drift reports, newest first, a page at a time (<c>limit</c>, then <c>before</c> = the page's <c>next</c>).</summary>
    public static async Task<Results<Ok<DriftReportPage>, BadRequest<ProblemResult>>> ListDriftReports(
        string model, [FromQuery] int? limit, [FromQuery] string? before, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        if (limit is < 1 or > DriftReportHistory.MaxLimit)
        {
            return TypedResults.BadRequest(new ProblemResult($"'limit' must be between 1 and {DriftReportHistory.MaxLimit}."));
        }

        if (before is not null && !DriftReportHistory.IsValidId(before))
        {
            return TypedResults.BadRequest(new ProblemResult($"'before' must be a report id (yyyyMMddTHHmmssfffZ, e.g. 20261207T010000000Z), not '{Truncate(before)}'."));
        }

        return TypedResults.Ok(await s.DriftReports.ListAsync(model, limit ?? DriftReportHistory.DefaultLimit, before, ct));
    }

    /// <summary>One drift report of the history, by its id (the check's UTC time, as listed).</summary>
    public static async Task<Results<Ok<DriftReport>, NotFound<ProblemResult>, BadRequest<ProblemResult>>> GetDriftReport(
        string model, string id, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return BadName(model);
        if (!DriftReportHistory.IsValidId(id))
        {
            return TypedResults.BadRequest(new ProblemResult($"'{Truncate(id)}' is not a report id (yyyyMMddTHHmmssfffZ, e.g. 20261207T010000000Z)."));
        }

        return await s.DriftReports.GetAsync(model, id, ct) is { } report
            ? TypedResults.Ok(report)
            : TypedResults.NotFound(new ProblemResult($"Model '{model}' has no drift report '{id}'."));
    }

    public static async Task<Results<Ok<RunView>, NotFound<ProblemResult>>> GetRun(string runId, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        await s.Pipeline.GetRunAsync(runId, ct) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.NotFound(new ProblemResult($"Run '{runId}' does not exist."));

    /// <summary>409: the request is fine; the model's stored spec is not, and a PUT of a corrected one fixes it.</summary>
    private static Conflict<SpecErrors> InvalidStoredSpec(InvalidModelSpecException e) =>
        TypedResults.Conflict(new SpecErrors(
            $"The stored spec of '{e.Model}' has {e.Problems.Count} problem(s); PUT /{RoutePrefix}/models/{e.Model} with a corrected spec.", e.Problems));

    private static BadRequest<ProblemResult> BadName(string model) =>
        TypedResults.BadRequest(new ProblemResult($"Invalid model name '{Truncate(model)}': {ModelName.Rule}."));

    private static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large");

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";
}

/// <summary>A one-line error body for 400/404 responses.</summary>
public sealed record ProblemResult(string Error);
