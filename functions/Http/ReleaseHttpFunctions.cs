using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Http;
using Serverless.App.Http.Auth;
using Serverless.App.Releases;
using Serverless.Durable.Releases;

namespace Serverless.Functions.Http;

/// <summary>The routes of <see cref="ReleasesApi"/> (admin) and scoring a named version (scoring), each calling the same handler.</summary>
public static class ReleaseHttpFunctions
{
    [Function("PredictVersion")]
    public static async Task<IResult> PredictVersion(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/versions/{version:int}/predict")] HttpRequest req,
        string model,
        int version,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Scoring, () => ScoringApi.PredictVersion(model, version, req, ApiServices.Scoring(context), context.CancellationToken));

    [Function("ReleaseVersion")]
    public static async Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/versions/{version:int}/release")] HttpRequest req,
        string model,
        int version,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => ReleasesApi.StartRelease(model, version, req, Releases(context, client), context.CancellationToken));

    [Function("ListReleases")]
    public static async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/releases")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => ReleasesApi.ListReleases(model, Releases(context, client), context.CancellationToken));

    [Function("GetRelease")]
    public static async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/releases/{releaseId}")] HttpRequest req,
        string model,
        string releaseId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => ReleasesApi.GetRelease(model, releaseId, Releases(context, client), context.CancellationToken));

    [Function("ApproveRelease")]
    public static async Task<IResult> Approve(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/releases/{releaseId}/approve")] HttpRequest req,
        string model,
        string releaseId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => ReleasesApi.Approve(model, releaseId, req, Releases(context, client), context.CancellationToken));

    [Function("RejectRelease")]
    public static async Task<IResult> Reject(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/releases/{releaseId}/reject")] HttpRequest req,
        string model,
        string releaseId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => ReleasesApi.Reject(model, releaseId, req, Releases(context, client), context.CancellationToken));

    [Function("ChangeReleaseTraffic")]
    public static async Task<IResult> ChangeTraffic(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/releases/{releaseId}/traffic")] HttpRequest req,
        string model,
        string releaseId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => ReleasesApi.ChangeTraffic(model, releaseId, req, Releases(context, client), context.CancellationToken));

    /// <summary>Releases are started and decided through this invocation's durable client.</summary>
    private static ReleaseRequests Releases(FunctionContext context, DurableTaskClient client) =>
        ActivatorUtilities.CreateInstance<ReleaseRequests>(context.InstanceServices, new DurableReleaseLauncher(client));
}
