using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.App.Http;
using Serverless.App.Http.Auth;

namespace Serverless.Functions.Http;

/// <summary>Feedback, the labeling queue and monitoring: the same handler (<see cref="ScoringApi"/>, <see cref="ModelsApi"/>), behind the route's role (<see cref="EasyAuth"/>)s as the local host.</summary>
public static class MonitoringFunctions
{
    [Function("SubmitFeedback")]
    public static async Task<IResult> Feedback(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/feedback")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Scoring, () => FeedbackApi.SubmitFeedback(model, req, ApiServices.For(context, client), context.CancellationToken));

    [Function("GetLabeling")]
    public static async Task<IResult> Labeling(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/labeling")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => MonitoringApi.GetLabeling(model, int.TryParse(req.Query["take"], out var take) ? take : null, ApiServices.For(context, client), context.CancellationToken));

    [Function("GetMonitoring")]
    public static async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/monitoring")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => MonitoringApi.GetMonitoring(model, ApiServices.For(context, client), context.CancellationToken));

    [Function("GetLiveQuality")]
    public static async Task<IResult> Quality(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/monitoring/quality")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => MonitoringApi.GetLiveQuality(model, req, ApiServices.For(context, client), context.CancellationToken));

    [Function("CheckMonitoring")]
    public static async Task<IResult> Check(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/monitoring/check")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => MonitoringApi.CheckMonitoring(model, ApiServices.For(context, client), context.CancellationToken));

    [Function("ListDriftReports")]
    public static async Task<IResult> Reports(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/monitoring/reports")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => MonitoringApi.ListDriftReports(
            model,
            int.TryParse(req.Query["limit"], out var limit) ? limit : null,
            req.Query["before"].FirstOrDefault(),
            ApiServices.For(context, client),
            context.CancellationToken));

    [Function("GetDriftReport")]
    public static async Task<IResult> Report(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/monitoring/reports/{id}")] HttpRequest req,
        string model,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => MonitoringApi.GetDriftReport(model, id, ApiServices.For(context, client), context.CancellationToken));
}
