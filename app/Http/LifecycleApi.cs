using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.App.Models;
using Serverless.Core.Specs;
using Serverless.App.OpenApi;
using Serverless.Core.Registry;

namespace Serverless.App.Http;

/// <summary>Deleting versions and archiving models (admin); the caller goes into the registry event.</summary>
public static class LifecycleApi
{
    public static IEndpointRouteBuilder MapLifecycleApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        var admin = app.MapApiGroup<TAuthFilter>(ApiRole.Admin);
        admin.MapDelete("/models/{model}/versions/{version:int}", DeleteVersion);
        admin.MapPost("/models/{model}/archive", Archive);
        return app;
    }

    /// <summary>409 while an alias points at the version or the model is archived.</summary>
    [EndpointSummary("Delete a version (its number is never reused)")]
    [ProducesResponseType<VersionDeletion>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409)]
    public static async Task<IResult> DeleteVersion(string model, int version, HttpContext http, [FromServices] ModelLifecycleRequests s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await s.DeleteVersionAsync(model, version, ApiCaller.Describe(http.User), ct));

    /// <summary>Idempotent; <c>?reason=</c> is recorded.</summary>
    [EndpointSummary("Make a model read-only")]
    [EndpointDescription("Idempotent; `?reason=` is recorded.")]
    [ProducesResponseType<ModelArchive>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404)]
    [QueryParameter("reason", typeof(string), "Recorded with the archive event.")]
    public static async Task<IResult> Archive(string model, HttpContext http, [FromServices] ModelLifecycleRequests s, CancellationToken ct) =>
        !ModelName.IsValidModelName(model)
            ? Problems.BadName(model)
            : Problems.Ok(await s.ArchiveAsync(model, http.Request.Query["reason"].FirstOrDefault(), ApiCaller.Describe(http.User), ct));
}
