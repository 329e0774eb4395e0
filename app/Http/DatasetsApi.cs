using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Datasets;
using Serverless.App.Http.Auth;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.App.Http;

/// <summary>A model's dataset versions and quarantined drops (admin: they describe data other clients sent).</summary>
public static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        var admin = app.MapApiGroup<TAuthFilter>(ApiRole.Admin).WithTags("Datasets");
        admin.MapGet("/models/{model}/datasets", ListDatasets).WithSummary("The model's dataset versions (manifests), newest first").Produces<IReadOnlyList<DatasetManifest>>().ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapGet("/models/{model}/datasets/{sha256}", GetDataset).WithSummary("One dataset version: manifest and validation report").Produces<DatasetVersionDetail>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/models/{model}/quarantine", ListQuarantine).WithSummary("The model's rejected drops with their quarantine reports, newest first").Produces<IReadOnlyList<QuarantinedDrop>>().ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapGet("/models/{model}/quarantine/{sha256}", GetQuarantined).WithSummary("The quarantine report (reason and row problems) of one rejected drop").Produces<QuarantinedDrop>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<IResult> ListDatasets(string model, [FromServices] DatasetCatalog s, CancellationToken ct) =>
        ModelName.IsValidModelName(model) ? TypedResults.Ok(await s.ListVersionsAsync(model, ct)) as IResult : Problems.BadName(model);

    public static async Task<IResult> GetDataset(string model, string sha256, [FromServices] DatasetCatalog s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        if (!DatasetCatalog.IsValidVersion(sha256)) return BadVersion(sha256);
        return await s.GetVersionAsync(model, sha256, ct) is { } d ? TypedResults.Ok(d) : Problems.NotFound($"Model '{model}' has no dataset version '{sha256}'.");
    }

    public static async Task<IResult> ListQuarantine(string model, [FromServices] DatasetCatalog s, CancellationToken ct) =>
        ModelName.IsValidModelName(model) ? TypedResults.Ok(await s.ListQuarantinedAsync(model, ct)) as IResult : Problems.BadName(model);

    public static async Task<IResult> GetQuarantined(string model, string sha256, [FromServices] DatasetCatalog s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        if (!DatasetCatalog.IsValidVersion(sha256)) return BadVersion(sha256);
        return await s.GetQuarantinedAsync(model, sha256, ct) is { } d ? TypedResults.Ok(d) : Problems.NotFound($"Model '{model}' has no quarantined drop '{sha256}'.");
    }

    private static IResult BadVersion(string sha256) =>
        Problems.BadRequest($"'{Problems.Truncate(sha256)}' is not a dataset version (64 lowercase hex digits: the file's SHA-256).");
}
