using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Features;
using Serverless.App.Http.Auth;
using Serverless.Core.FeatureStore;
using Serverless.App.OpenApi;

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
        admin.MapPost("/features/{view}/push", PushFeatures);
        return app;
    }

    /// <summary>Views matching every given criterion: <c>name</c> (substring), <c>tag</c>, <c>owner</c>, <c>entity</c>.</summary>
    [EndpointSummary("Feature views matching every given criterion")]
    [ProducesResponseType<IReadOnlyList<FeatureViewSummary>>(StatusCodes.Status200OK)]
    public static async Task<IResult> SearchFeatureViews(
        [FromQuery] string? name, [FromQuery] string? tag, [FromQuery] string? owner, [FromQuery] string? entity, [FromServices] FeatureCatalogService s, CancellationToken ct) =>
        TypedResults.Ok(await s.SearchAsync(new FeatureViewQuery(Blank(name), Blank(tag), Blank(owner), Blank(entity)), ct));

    /// <summary>A view's definition, version, freshness and the models that use it.</summary>
    [EndpointSummary("A feature view: definition, version, freshness and users")]
    [ProducesResponseType<FeatureViewDetails>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404)]
    public static async Task<IResult> GetFeatureView(string view, [FromServices] FeatureCatalogService s, CancellationToken ct)
    {
        if (!FeatureViewValidator.IsValidName(view)) return Problems.BadRequest($"Invalid feature view name '{Problems.Truncate(view)}': {FeatureViewValidator.NameRule}.");
        return await s.DescribeAsync(view, ct) is { } details ? TypedResults.Ok(details) : Problems.NotFound($"There is no feature view '{view}'.");
    }

    /// <summary><c>{"rows": [{keys, timestamp, features}]}</c> into the online store; a row older than the stored one is skipped.</summary>
    [EndpointSummary("Write rows into the online feature store")]
    [EndpointDescription("Up to 10,000 rows; 400 lists every row and field error and writes nothing.")]
    [RequestBody(typeof(FeaturePushRequest))]
    [ProducesResponseType<FeaturePushResult>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(413)]
    public static async Task<IResult> PushFeatures(string view, HttpRequest request, [FromServices] FeaturePushRequests s, CancellationToken ct)
    {
        if (!FeatureViewValidator.IsValidName(view)) return Problems.BadRequest($"Invalid feature view name '{Problems.Truncate(view)}': {FeatureViewValidator.NameRule}.");
        var body = await BodyReader.ReadAsync(request, FeaturePushRequests.MaxBodyBytes, ct);
        return body.TooLarge ? Problems.TooLarge($"A push is limited to {FeaturePushRequests.MaxBodyBytes} bytes.") : Problems.Ok(await s.PushAsync(view, body.Bytes!, ct));
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
