using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.App.Http;
using Serverless.App.Http.Auth;

namespace Serverless.Functions.Http;

/// <summary>Comparing two registered versions of a model.</summary>
public static class VersionFunctions
{
    [Function("CompareVersions")]
    public static async Task<IResult> Compare(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/versions/compare")] HttpRequest req,
        string model,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => ModelsApi.CompareVersions(model, req.Query["a"].FirstOrDefault(), req.Query["b"].FirstOrDefault(), ApiServices.For(context, client), context.CancellationToken));
}
