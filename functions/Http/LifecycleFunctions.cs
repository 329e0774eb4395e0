using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Http;
using Serverless.App.Http.Auth;
using Serverless.App.Models;

namespace Serverless.Functions.Http;

/// <summary>The routes of <see cref="LifecycleApi"/>, admin only.</summary>
public static class LifecycleFunctions
{
    [Function("DeleteVersion")]
    public static async Task<IResult> DeleteVersion(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "models/{model}/versions/{version:int}")] HttpRequest req,
        string model,
        int version,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => LifecycleApi.DeleteVersion(model, version, req.HttpContext, context.InstanceServices.GetRequiredService<ModelLifecycleRequests>(), context.CancellationToken));

    [Function("ArchiveModel")]
    public static async Task<IResult> Archive(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/archive")] HttpRequest req,
        string model,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => LifecycleApi.Archive(model, req.HttpContext, context.InstanceServices.GetRequiredService<ModelLifecycleRequests>(), context.CancellationToken));
}
