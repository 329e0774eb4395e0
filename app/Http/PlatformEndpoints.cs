using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Serverless.App.Http;

/// <summary>Maps <see cref="PlatformApi"/> onto the routes the Functions app exposes, for ASP.NET Core hosts.</summary>
public static class PlatformEndpoints
{
    /// <param name="app">The host's route builder.</param>
    /// <typeparam name="TAuthFilter">Guards every route but health (the local host's API key; Functions use function keys instead).</typeparam>
    public static IEndpointRouteBuilder MapPlatformApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        app.MapScoringApi<TAuthFilter>();

        // Anonymous like health: editors fetch it by the URI in a spec's "$schema" and send no key.
        app.MapGet($"/{PlatformApi.RoutePrefix}/{PlatformApi.ModelSchemaRoute}", PlatformApi.ModelSchema);

        var api = app.MapGroup("/" + PlatformApi.RoutePrefix).AddEndpointFilter<TAuthFilter>();
        api.MapGet("/models", PlatformApi.ListModels);
        api.MapPut("/models/{model}", PlatformApi.PutSpec);
        api.MapPost("/models/{model}/versions/{version:int}/promote", PlatformApi.Promote);
        api.MapPost("/models/{model}/runs", PlatformApi.StartRun);
        api.MapGet("/runs/{runId}", PlatformApi.GetRun);
        api.MapPost("/models/{model}/feedback", PlatformApi.SubmitFeedback);
        api.MapGet("/models/{model}/labeling", PlatformApi.GetLabeling);
        api.MapGet("/models/{model}/monitoring", PlatformApi.GetMonitoring);
        api.MapPost("/models/{model}/monitoring/check", PlatformApi.CheckMonitoring);
        api.MapGet("/models/{model}/monitoring/reports", PlatformApi.ListDriftReports);
        api.MapGet("/models/{model}/monitoring/reports/{id}", PlatformApi.GetDriftReport);
        return app;
    }

    /// <summary>The routes that need only scoring services (<see cref="ScoringApiServices"/>): health, model details, predict.</summary>
    /// <typeparam name="TAuthFilter">Guards every route but health.</typeparam>
    public static IEndpointRouteBuilder MapScoringApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        app.MapGet($"/{PlatformApi.RoutePrefix}/health", PlatformApi.Health);

        var api = app.MapGroup("/" + PlatformApi.RoutePrefix).AddEndpointFilter<TAuthFilter>();
        api.MapGet("/models/{model}", PlatformApi.GetModel);
        api.MapPost("/models/{model}/predict", PlatformApi.Predict);
        return app;
    }
}
