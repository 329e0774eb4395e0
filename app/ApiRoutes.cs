namespace Serverless.App;

/// <summary>The platform API's route prefix: handlers map under it, and services that hand out links (drift report summaries) build on it.</summary>
public static class ApiRoutes
{
    public const string Prefix = "api";
}
