using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Features;
using Serverless.App.Http;
using Serverless.App.Http.Auth;
using Serverless.Core.FeatureStore;

namespace Serverless.Functions.Http;

/// <summary>The feature store's catalog: the same handlers (<see cref="FeaturesApi"/>) behind the admin role (<see cref="EasyAuth"/>).</summary>
public static class FeatureFunctions
{
    [Function("SearchFeatureViews")]
    public static async Task<IResult> Search(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "features")] HttpRequest req,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => FeaturesApi.SearchFeatureViews(
            req.Query["name"].FirstOrDefault(), req.Query["tag"].FirstOrDefault(), req.Query["owner"].FirstOrDefault(), req.Query["entity"].FirstOrDefault(),
            context.InstanceServices.GetRequiredService<FeatureCatalogService>(), context.CancellationToken));

    [Function("GetFeatureView")]
    public static async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "features/{view}")] HttpRequest req,
        string view,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => FeaturesApi.GetFeatureView(view, context.InstanceServices.GetRequiredService<FeatureCatalogService>(), context.CancellationToken));

    [Function("PushFeatures")]
    public static async Task<IResult> Push(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "features/{view}/push")] HttpRequest req,
        string view,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => FeaturesApi.PushFeatures(view, req, context.InstanceServices.GetRequiredService<FeaturePushRequests>(), context.CancellationToken));
}
