using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Serverless.App.WebConsole;

namespace Serverless.Functions.Http;

/// <summary>
/// The web console's files at <c>/api/console/</c>; anonymous like the local host's, since the page asks for the key
/// itself or, behind Easy Auth, offers its sign-in (the shell's paths are then excluded from authentication).
/// </summary>
public static class ConsoleFunction
{
    [Function("Console")]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ConsoleEndpoints.FunctionsRoute)] HttpRequest req, string? path) =>
        ConsoleEndpoints.Serve(path, req);
}
