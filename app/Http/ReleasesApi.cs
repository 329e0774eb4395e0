using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Serverless.App.Http.Auth;
using Serverless.App.Releases;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.App.OpenApi;
using Serverless.Core.Releases;

namespace Serverless.App.Http;

/// <summary>Safe releases (admin): start one for a registered version, follow it, move a held one's weight, approve or reject it.</summary>
public static class ReleasesApi
{
    public static IEndpointRouteBuilder MapReleasesApi<TAuthFilter>(this IEndpointRouteBuilder app)
        where TAuthFilter : IEndpointFilter
    {
        var admin = app.MapApiGroup<TAuthFilter>(ApiRole.Admin);
        admin.MapPost("/models/{model}/versions/{version:int}/release", StartRelease);
        admin.MapGet("/models/{model}/releases", ListReleases);
        admin.MapGet("/models/{model}/releases/{releaseId}", GetRelease);
        admin.MapPost("/models/{model}/releases/{releaseId}/approve", Approve);
        admin.MapPost("/models/{model}/releases/{releaseId}/reject", Reject);
        admin.MapPost("/models/{model}/releases/{releaseId}/traffic", ChangeTraffic);
        return app;
    }

    [EndpointSummary("Start a safe release of a version")]
    [EndpointDescription("The optional body overrides keys of the spec's release section for this release only; 400 lists each bad key by its path in the body.")]
    [RequestBody(typeof(ReleaseStartRequest), Required = false)]
    [ProducesResponseType<ReleaseStarted>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409), ProblemResponse(413)]
    public static async Task<IResult> StartRelease(string model, int version, HttpRequest request, [FromServices] ReleaseRequests r, CancellationToken ct)
    {
        if (!ModelName.IsValidModelName(model)) return Problems.BadName(model);
        var body = await BodyReader.ReadAsync(request, ReleaseRequests.MaxSettingsBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"Release settings are limited to {ReleaseRequests.MaxSettingsBytes} bytes.");
        return Problems.Ok(await r.StartAsync(model, version, body.Bytes!, ApiCaller.Describe(request.HttpContext.User), ct));
    }

    [EndpointSummary("Move a held release's candidate to another weight")]
    [RequestBody(typeof(ReleaseTrafficRequest))]
    [ProducesResponseType<ReleaseRecord>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409), ProblemResponse(413)]
    public static async Task<IResult> ChangeTraffic(string model, string releaseId, HttpRequest request, [FromServices] ReleaseRequests r, CancellationToken ct)
    {
        if (BadRoute(model, releaseId) is { } bad) return bad;
        var body = await BodyReader.ReadAsync(request, ReleaseRequests.MaxDecisionBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"A traffic body is limited to {ReleaseRequests.MaxDecisionBytes} bytes.");
        return Problems.Ok(await r.ChangeTrafficAsync(model, releaseId, body.Bytes!, ApiCaller.Describe(request.HttpContext.User), ct));
    }

    [EndpointSummary("A model's releases")]
    [ProducesResponseType<IReadOnlyList<ReleaseRecord>>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404)]
    public static async Task<IResult> ListReleases(string model, [FromServices] ReleaseRequests r, CancellationToken ct) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model) : Problems.Ok(await r.ListAsync(model, ct));

    [EndpointSummary("One release")]
    [ProducesResponseType<ReleaseRecord>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404)]
    public static async Task<IResult> GetRelease(string model, string releaseId, [FromServices] ReleaseRequests r, CancellationToken ct) =>
        BadRoute(model, releaseId) ?? Problems.Ok(await r.GetAsync(model, releaseId, ct));

    [EndpointSummary("Approve a release waiting for a decision")]
    [RequestBody(typeof(ReleaseDecisionRequest), Required = false)]
    [ProducesResponseType<ReleaseRecord>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409), ProblemResponse(413)]
    public static Task<IResult> Approve(string model, string releaseId, HttpRequest request, [FromServices] ReleaseRequests r, CancellationToken ct) =>
        DecideAsync(model, releaseId, approved: true, request, r, ct);

    [EndpointSummary("Reject a release waiting for a decision")]
    [RequestBody(typeof(ReleaseDecisionRequest), Required = false)]
    [ProducesResponseType<ReleaseRecord>(StatusCodes.Status200OK)]
    [ProblemResponse(400), ProblemResponse(404), ProblemResponse(409), ProblemResponse(413)]
    public static Task<IResult> Reject(string model, string releaseId, HttpRequest request, [FromServices] ReleaseRequests r, CancellationToken ct) =>
        DecideAsync(model, releaseId, approved: false, request, r, ct);

    private static async Task<IResult> DecideAsync(string model, string releaseId, bool approved, HttpRequest request, ReleaseRequests r, CancellationToken ct)
    {
        if (BadRoute(model, releaseId) is { } bad) return bad;
        var body = await BodyReader.ReadAsync(request, ReleaseRequests.MaxDecisionBytes, ct);
        if (body.TooLarge) return Problems.TooLarge($"A decision body is limited to {ReleaseRequests.MaxDecisionBytes} bytes.");
        return Problems.Ok(await r.DecideAsync(model, releaseId, approved, body.Bytes!, ApiCaller.Describe(request.HttpContext.User), ct));
    }

    private static IResult? BadRoute(string model, string releaseId) =>
        !ModelName.IsValidModelName(model) ? Problems.BadName(model)
        : !ReleaseRequests.IsValidReleaseId(releaseId) ? Problems.BadRequest("Invalid release id.", [new FieldError(-1, "releaseId", $"'{Problems.Truncate(releaseId)}' is not a release id (letters, digits, '-', '_', '.').")])
        : null;
}
