using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Serverless.App.Http;

namespace Serverless.Functions.Http;

/// <summary>Liveness probe; anonymous like the local host's, so load balancers and smoke tests need no key.</summary>
public static class HealthFunction
{
    [Function("Health")]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req) =>
        ScoringApi.Health();
}
