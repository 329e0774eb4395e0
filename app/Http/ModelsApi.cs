using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.App.Models;
using Serverless.Core;
using Serverless.Core.Specs;

namespace Serverless.App.Http;

/// <summary>The model list (scoring: metadata), specs and promotion (admin), and the spec's JSON Schema (anonymous).</summary>
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
        return app;
    }

    /// <summary>The JSON Schema (draft 2020-12) of <c>model.json</c>, the same file as <c>schemas/model.schema.json</c>.</summary>
    public static IResult ModelSchema() => TypedResults.Text(ModelSpecSchema.Text, ModelSpecSchema.MediaType);

    public static async Task<IResult> ListModels([FromServices] PlatformApiServices s, CancellationToken ct) =>
        TypedResults.Ok(await s.Catalog.ListAsync(ct));

    public static async Task<IResult> PutSpec(string model, HttpRequest request, [FromServices] PlatformApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, ModelCatalog.MaxSpecBytes, ct);
        if (body.TooLarge) return Problems.TooLarge("A model spec may be at most 1 MiB.");
        return Problems.Ok(await s.Catalog.PutSpecAsync(model, body.Bytes!, ct));
    }

    /// <summary>Manual promotion or rollback; the caller (<see cref="ApiCaller.Describe"/>) goes into the alias history.</summary>
    public static async Task<IResult> Promote(string model, int version, HttpContext http, [FromServices] PlatformApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.Catalog.PromoteAsync(model, version, ApiCaller.Describe(http.User), ct));
}
