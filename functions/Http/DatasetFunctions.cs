using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Datasets;
using Serverless.App.Http;
using Serverless.App.Http.Auth;

namespace Serverless.Functions.Http;

/// <summary>Dataset versions and quarantined drops: the same handlers (<see cref="DatasetsApi"/>) behind the admin role.</summary>
public static class DatasetFunctions
{
    [Function("ListDatasets")]
    public static async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/datasets")] HttpRequest req,
        string model,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => DatasetsApi.ListDatasets(model, context.InstanceServices.GetRequiredService<DatasetCatalog>(), context.CancellationToken));

    [Function("GetDataset")]
    public static async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/datasets/{sha256}")] HttpRequest req,
        string model,
        string sha256,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => DatasetsApi.GetDataset(model, sha256, context.InstanceServices.GetRequiredService<DatasetCatalog>(), context.CancellationToken));

    [Function("ListQuarantine")]
    public static async Task<IResult> ListQuarantine(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/quarantine")] HttpRequest req,
        string model,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => DatasetsApi.ListQuarantine(model, context.InstanceServices.GetRequiredService<DatasetCatalog>(), context.CancellationToken));

    [Function("GetQuarantined")]
    public static async Task<IResult> GetQuarantined(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{model}/quarantine/{sha256}")] HttpRequest req,
        string model,
        string sha256,
        FunctionContext context) =>
        await EasyAuth.RunAsync(req, ApiRole.Admin, () => DatasetsApi.GetQuarantined(model, sha256, context.InstanceServices.GetRequiredService<DatasetCatalog>(), context.CancellationToken));
}
