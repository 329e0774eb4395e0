using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.App.Http;
using Serverless.App.Http.Auth;

namespace Serverless.Functions.Http;

/// <summary>Starting a pipeline run on an upload or a dataset version, reading its progress, listing, canceling and repeating runs.</summary>
public static class RunFunctions
{
    [Function("StartRun")]
    public static async Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/runs")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => RunsApi.StartRun(model, req, ApiServices.For(context, client), context.CancellationToken));

    [Function("GetRun")]
    public static async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}")] HttpRequest req,
        string runId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => RunsApi.GetRun(runId, ApiServices.For(context, client), context.CancellationToken));

    [Function("GetRunLogs")]
    public static async Task<IResult> Logs(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/logs")] HttpRequest req,
        string runId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => RunsApi.GetRunLogs(runId, req, ApiServices.For(context, client), context.CancellationToken));

    [Function("ListRuns")]
    public static async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/runs")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => RunsApi.ListRuns(model, req, ApiServices.For(context, client), context.CancellationToken));

    [Function("CancelRun")]
    public static async Task<IResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs/{runId}/cancel")] HttpRequest req,
        string runId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => RunsApi.CancelRun(runId, req.HttpContext, ApiServices.For(context, client), context.CancellationToken));

    [Function("RerunRun")]
    public static async Task<IResult> Rerun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs/{runId}/rerun")] HttpRequest req,
        string runId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => RunsApi.Rerun(runId, ApiServices.For(context, client), context.CancellationToken));
}
