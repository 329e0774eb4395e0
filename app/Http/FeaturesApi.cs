using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.Core.FeatureStore;

namespace Serverless.App.Http;

/// <summary>The feature store's catalog (admin: it names the models that use each view).</summary>
public static class FeaturesApi
{
    public static IEndpointRouteBuilder MapFeaturesApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        var admin = app.MapApiGroup<TAuthFilter>(ApiRole.Admin);
        admin.MapGet("/features", SearchFeatureViews);
        admin.MapGet("/features/{view}", GetFeatureView);
        return app;
    }

    /// <summary>Views matching every given criterion: <c>name</c> (substring), <c>tag</c>, <c>owner</c>, <c>entity</c>.</summary>
    public static async Task<IResult> SearchFeatureViews(
        [FromQuery] string? name, [FromQuery] string? tag, [FromQuery] string? owner, [FromQuery] string? entity, [FromServices] FeatureCatalogService s, CancellationToken ct) =>
        TypedResults.Ok(await s.SearchAsync(new FeatureViewQuery(Blank(name), Blank(tag), Blank(owner), Blank(entity)), ct));

    /// <summary>A view's definition, version, freshness and the models that use it.</summary>
    public static async Task<IResult> GetFeatureView(string view, [FromServices] FeatureCatalogService s, CancellationToken ct)
    {
        if (!FeatureViewValidator.IsValidName(view)) return Problems.BadRequest($"Invalid feature view name '{Problems.Truncate(view)}': {FeatureViewValidator.NameRule}.");
        return await s.DescribeAsync(view, ct) is { } details ? TypedResults.Ok(details) : Problems.NotFound($"There is no feature view '{view}'.");
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
