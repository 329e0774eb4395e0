using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.App.OpenApi;

namespace Serverless.App.Http;

/// <summary>
/// Maps the whole platform API, one group per area, for ASP.NET Core hosts; the Functions app exposes the same routes
/// as HTTP triggers calling the same handlers, and its OpenAPI document (<see cref="ApiDocument"/>). Each route's role (<see cref="RequiresRole"/>) is in its area's file.
/// </summary>
public static class PlatformEndpoints
{
    /// <typeparam name="TAuthFilter">Enforces each route's role (<see cref="ApiKeyFilter"/> on the local host).</typeparam>
    public static IEndpointRouteBuilder MapPlatformApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter =>
        app.MapScoringApi<TAuthFilter>()
            .MapModelsApi<TAuthFilter>()
            .MapModelCardApi<TAuthFilter>()
            .MapLifecycleApi<TAuthFilter>()
            .MapBatchScoringApi<TAuthFilter>()
            .MapFeedbackApi<TAuthFilter>()
            .MapRunsApi<TAuthFilter>()
            .MapMonitoringApi<TAuthFilter>()
            .MapReleasesApi<TAuthFilter>()
            .MapFeaturesApi<TAuthFilter>()
            .MapDatasetsApi<TAuthFilter>()
            .MapApiDocument();
}
