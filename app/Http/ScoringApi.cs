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
using Serverless.App.Serving;

namespace Serverless.App.Http;

/// <summary>
/// Health, model details, predict and explain: the routes every host serves, the GPU scorer only these. They need only
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
        scoring.MapPost("/models/{model}/explain", Explain);
        scoring.MapPost("/models/{model}/versions/{version:int}/predict", PredictVersion);
        return app;
    }

    [EndpointSummary("Liveness: the service answers")]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status200OK)]
    public static IResult Health() => TypedResults.Ok(new HealthResponse("ok", PlatformInfo.Version));

    [EndpointSummary("A model: spec, aliases, versions with metrics, alias history")]
    [ProducesResponseType<ModelDetails>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409)]
    public static async Task<IResult> GetModel(string model, [FromServices] ScoringApiServices s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.Catalog.GetAsync(model, ct));

    [EndpointSummary("Score rows with the champion")]
    [EndpointDescription("Up to 10,000 rows of raw features. `?explain=true` adds explain's attributions. The version that answered is also in the `x-model-version` header. 400 lists every row and field error; 404 without a champion.")]
    [RequestBody(typeof(PredictRequest))]
    [ProducesResponseType<PredictResponse>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409), ProblemResponse(413), ProblemResponse(503)]
    [QueryParameter("explain", typeof(bool), "true: add explain's attributions to each prediction.")]
    public static async Task<IResult> Predict(string model, HttpRequest request, [FromServices] ScoringApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Prediction.Options.MaxBodyBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"The request body exceeds {s.Prediction.Options.MaxBodyBytes} bytes.");
        if (ExplainRequested(request, out var invalid))
        {
            return invalid ?? Problems.Ok(await s.Explanations.PredictAndExplainAsync(model, body.Bytes!, request.HttpContext.TraceIdentifier, ct));
        }

        var routingKey = request.Headers.TryGetValue(TrafficRouting.Header, out var key) && key.Count == 1 && !string.IsNullOrEmpty(key[0]) ? key[0] : null;
        return Answered(request, await s.Prediction.PredictAsync(model, body.Bytes!, request.HttpContext.TraceIdentifier, routingKey, ct));
    }

    /// <summary>Scores with one registered version, whatever the aliases say (to try a candidate); not logged as traffic.</summary>
    [EndpointSummary("Score rows with one registered version")]
    [EndpointDescription("Whatever the aliases say (to try a candidate); not logged as traffic.")]
    [RequestBody(typeof(PredictRequest))]
    [ProducesResponseType<PredictResponse>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409), ProblemResponse(413), ProblemResponse(503)]
    public static async Task<IResult> PredictVersion(string model, int version, HttpRequest request, [FromServices] ScoringApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Prediction.Options.MaxBodyBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"The request body exceeds {s.Prediction.Options.MaxBodyBytes} bytes.");
        return Answered(request, await s.Prediction.PredictVersionAsync(model, version, body.Bytes!, request.HttpContext.TraceIdentifier, ct));
    }

    /// <summary>The version that answered goes into a header too, so a client can tell without reading the body.</summary>
    private static IResult Answered(HttpRequest request, Outcome<PredictResponse> outcome)
    {
        if (outcome is Outcome<PredictResponse>.Done { Value: var response })
        {
            request.HttpContext.Response.Headers[TrafficRouting.VersionHeader] = response.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Problems.Ok(outcome);
    }

    /// <summary>Exact TreeSHAP attributions for rows in the predict format, with their predictions (not logged as traffic).</summary>
    [EndpointSummary("Predictions with per-feature attributions")]
    [EndpointDescription("Exact TreeSHAP for tree models, integrated gradients for the MLP (`approximate`); up to 1,000 rows; not logged as traffic. 409 for a version without an explainer.")]
    [RequestBody(typeof(PredictRequest))]
    [ProducesResponseType<ExplainResponse>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409), ProblemResponse(413), ProblemResponse(503)]
    public static async Task<IResult> Explain(string model, HttpRequest request, [FromServices] ScoringApiServices s, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, s.Prediction.Options.MaxBodyBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"The request body exceeds {s.Prediction.Options.MaxBodyBytes} bytes.");
        return Problems.Ok(await s.Explanations.ExplainAsync(model, body.Bytes!, ct));
    }

    /// <summary>Predict's <c>?explain=</c>: true or false; anything else is a 400 naming the parameter.</summary>
    private static bool ExplainRequested(HttpRequest request, out IResult? invalid)
    {
        invalid = null;
        if (!request.Query.TryGetValue("explain", out var values)) return false;
        if (values.Count == 1 && bool.TryParse(values[0], out var explain)) return explain;
        invalid = Problems.BadRequest("Query parameter 'explain' must be true or false.", [new FieldError(-1, "explain", $"'{Problems.Truncate(values.ToString())}' is not true or false.")]);
        return true;
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
