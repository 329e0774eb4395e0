using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Serverless.App.Http;

namespace Serverless.Functions.Http;

/// <summary>The platform API's OpenAPI document, the local host's (<see cref="HostlessApiDocument"/>); anonymous like the schema.</summary>
public static class OpenApiFunction
{
    [Function("OpenApiDocument")]
    public static async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req) =>
        TypedResults.Text(await HostlessApiDocument.GetAsync(), "application/json; charset=utf-8");
}
