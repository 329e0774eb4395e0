using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.App.Http;
using Serverless.App.Http.Auth;

namespace Serverless.Functions.Http;

/// <summary>
/// Model specs, registry and scoring: the routes of <see cref="PlatformEndpoints"/>, each calling the same
/// handler (<see cref="ScoringApi"/>, <see cref="ModelsApi"/>), behind the route's role (<see cref="EasyAuth"/>). The worker's ASP.NET Core integration executes the returned <see cref="IResult"/>.
/// Those on <see cref="PlatformApiServices"/> bind the durable client too only because it carries the pipeline client;
/// details, predict and explain need only <see cref="ScoringApiServices"/>.
/// </summary>
public static class ModelFunctions
{
    [Function("ListModels")]
    public static async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Scoring, () => ModelsApi.ListModels(ApiServices.For(context, client), context.CancellationToken));

    [Function("GetModel")]
    public static async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}")] HttpRequest req,
        string model,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Scoring, () => ScoringApi.GetModel(model, ApiServices.Scoring(context), context.CancellationToken));

    [Function("PutModelSpec")]
    public static async Task<IResult> PutSpec(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "models/{model}")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => ModelsApi.PutSpec(model, req, ApiServices.For(context, client), context.CancellationToken));

    [Function("Predict")]
    public static async Task<IResult> Predict(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/predict")] HttpRequest req,
        string model,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Scoring, () => ScoringApi.Predict(model, req, ApiServices.Scoring(context), context.CancellationToken));

    [Function("Explain")]
    public static async Task<IResult> Explain(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/explain")] HttpRequest req,
        string model,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Scoring, () => ScoringApi.Explain(model, req, ApiServices.Scoring(context), context.CancellationToken));

    [Function("GetModelCard")]
    public static async Task<IResult> GetCard(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/versions/{version:int}/card")] HttpRequest req,
        string model,
        int version,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Scoring, () => ModelCardApi.GetCard(model, version, req, ApiServices.Scoring(context), context.CancellationToken));

    [Function("PromoteVersion")]
    public static async Task<IResult> Promote(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/versions/{version:int}/promote")] HttpRequest req,
        string model,
        int version,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => ModelsApi.Promote(model, version, req.HttpContext, ApiServices.For(context, client), context.CancellationToken));
}
