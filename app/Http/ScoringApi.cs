using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.App.Models;
using Serverless.Core;
using Serverless.Core.Specs;

namespace Serverless.App.Http;

/// <summary>
/// Health, model details and predict: the routes every host serves, the GPU scorer only these. They need only
/// <see cref="ScoringApiServices"/> (no run launcher) and the <see cref="ApiRole.Scoring"/> role.
/// </summary>
public static class ScoringApi
{
    /// <param name="app">The host's route builder.</param>
    /// <typeparam name="TAuthFilter">Enforces each route's <see cref="RequiresRole"/> (Functions use function keys and Easy Auth instead).</typeparam>
    public static IEndpointRouteBuilder MapScoringApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        app.MapGet($"/{ApiRoutes.Prefix}/health", Health);

        var scoring = app.MapApiGroup<TAuthFilter>(ApiRole.Scoring);
        scoring.MapGet("/models/{model}", GetModel);
        scoring.MapPost("/models/{model}/predict", Predict);
        return app;
    }

    public static IResult Health() => TypedResults.Ok(new HealthResponse("ok", PlatformInfo.Version));

    public static async Task<IResult> GetModel(string model, [FromServices] ScoringApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.Catalog.GetAsync(model, ct));

    public static async Task<IResult> Predict(string model, HttpRequest request, [FromServices] ScoringApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Prediction.Options.MaxBodyBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"The request body exceeds {s.Prediction.Options.MaxBodyBytes} bytes.");
        return Problems.Ok(await s.Prediction.PredictAsync(model, body.Bytes!, request.HttpContext.TraceIdentifier, ct));
    }

    /// <summary>A group under <c>/api</c> whose routes need <paramref name="role"/>, enforced by <typeparamref name="TAuthFilter"/>.</summary>
    internal static RouteGroupBuilder MapApiGroup<TAuthFilter>(this IEndpointRouteBuilder app, ApiRole role)
        where TAuthFilter : IEndpointFilter
    {
        var group = app.MapGroup("/" + ApiRoutes.Prefix).AddEndpointFilter<TAuthFilter>();
        group.WithMetadata(new RequiresRole(role));
        return group;
    }
}
