using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Serverless.App.Http;

namespace Serverless.Functions.Http;

/// <summary>The model spec's JSON Schema; anonymous like the local host's, since editors fetch it without a key.</summary>
public static class SchemaFunction
{
    [Function("ModelSpecSchema")]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ModelsApi.ModelSchemaRoute)] HttpRequest req) =>
        ModelsApi.ModelSchema();
}
