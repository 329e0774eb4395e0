using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.BatchScoring;
using Serverless.App.Http;
using Serverless.App.Http.Auth;
using Serverless.Durable.BatchScoring;

namespace Serverless.Functions.Http;

/// <summary>The routes of <see cref="BatchScoringApi"/> over this invocation's durable client.</summary>
public static class BatchScoringFunctions
{
    [Function("StartBatch")]
    public static async Task<IResult> StartBatch(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{model}/batch")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Scoring, () => BatchScoringApi.StartBatch(model, req, Batches(context, client), context.CancellationToken));

    [Function("GetBatch")]
    public static async Task<IResult> GetBatch(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "batches/{batchId}")] HttpRequest req,
        string batchId,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Scoring, () => BatchScoringApi.GetBatch(batchId, Batches(context, client), context.CancellationToken));

    internal static BatchRequests Batches(FunctionContext context, DurableTaskClient client) =>
        ActivatorUtilities.CreateInstance<BatchRequests>(context.InstanceServices, new DurableBatchLauncher(client));
}
