using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.App.Models;
using Serverless.Core;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.App.OpenApi;

namespace Serverless.App.Http;

/// <summary>The model list (scoring: metadata), specs, promotion and version comparison (admin), and the spec's JSON Schema (anonymous).</summary>
public static class ModelsApi
{
    public const string ModelSchemaRoute = "schemas/model.json";

    public static IEndpointRouteBuilder MapModelsApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        // Anonymous like health: editors fetch it by the URI in a spec's "$schema" and send no key.
        app.MapGet($"/{ApiRoutes.Prefix}/{ModelSchemaRoute}", ModelSchema);

        app.MapApiGroup<TAuthFilter>(ApiRole.Scoring).MapGet("/models", ListModels);

        var admin = app.MapApiGroup<TAuthFilter>(ApiRole.Admin);
        admin.MapPut("/models/{model}", PutSpec);
        admin.MapPost("/models/{model}/versions/{version:int}/promote", Promote);
        admin.MapGet("/models/{model}/versions/compare", CompareVersions);
        return app;
    }

    /// <summary>The JSON Schema (draft 2020-12) of <c>model.json</c>, the same file as <c>schemas/model.schema.json</c>.</summary>
    [EndpointSummary("The model spec's JSON Schema (draft 2020-12)")]
    [ProducesResponseType<System.Text.Json.JsonElement>(StatusCodes.Status200OK, ModelSpecSchema.MediaType)]
    public static IResult ModelSchema() => TypedResults.Text(ModelSpecSchema.Text, ModelSpecSchema.MediaType);

    [EndpointSummary("Models with spec, champion and version count")]
    [ProducesResponseType<IReadOnlyList<ModelSummary>>(StatusCodes.Status200OK)]
    public static async Task<IResult> ListModels([FromServices] PlatformApiServices s, CancellationToken ct) =>
        TypedResults.Ok(await s.Catalog.ListAsync(ct));

    [EndpointSummary("Store a model spec")]
    [EndpointDescription("The spec is validated first; 400 lists every problem in `problems`. At most 1 MiB.")]
    [RequestBody(typeof(ModelSpec))]
    [ProducesResponseType<SpecStored>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(409), ProblemResponse(413)]
    public static async Task<IResult> PutSpec(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, ModelCatalog.MaxSpecBytes, ct);
        if (body.TooLarge) return Problems.TooLarge("A model spec may be at most 1 MiB.");
        return Problems.Ok(await s.Catalog.PutSpecAsync(model, body.Bytes!, ct));
    }

    /// <summary>Manual promotion or rollback; the caller (<see cref="ApiCaller.Describe"/>) goes into the alias history.</summary>
    [EndpointSummary("Point the champion alias at a version (promotion or rollback)")]
    [ProducesResponseType<PromoteResponse>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409)]
    public static async Task<IResult> Promote(string model, int version, HttpContext http, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.Catalog.PromoteAsync(model, version, ApiCaller.Describe(http.User), ct));

    /// <summary>
    /// <c>?a=&amp;b=</c>, two version numbers. Admin, not scoring: it shows training parameters, dataset versions, lineage
    /// and the training data's per-feature distributions, which belong to whoever trains, not to callers of predict.
    /// </summary>
    [EndpointSummary("Two versions side by side")]
    [EndpointDescription("Metric deltas, parameter, dataset and spec differences, placement. `a` and `b` are version numbers.")]
    [ProducesResponseType<VersionComparison>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404)]
    public static async Task<IResult> CompareVersions(string model, string? a, string? b, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        List<FieldError> errors = [];
        var (va, vb) = (VersionNumber("a", a, errors), VersionNumber("b", b, errors));
        return errors.Count > 0
            ? Problems.BadRequest("Query parameters 'a' and 'b' must both be version numbers (positive integers).", errors)
            : Problems.Ok(await s.Versions.CompareAsync(model, va, vb, ct));
    }

    private static int VersionNumber(string field, string? raw, List<FieldError> errors)
    {
        if (int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0) return v;
        errors.Add(new FieldError(0, field, raw is null ? $"'{field}' is required." : $"'{field}' must be a positive integer, not '{Problems.Truncate(raw)}'."));
        return 0;
    }
}
