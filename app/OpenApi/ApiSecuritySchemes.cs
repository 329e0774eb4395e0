using Microsoft.OpenApi;

namespace Serverless.App.OpenApi;

/// <summary>
/// How each host authenticates (docs/auth.md): any one of these schemes identifies the caller; the role then decides.
/// </summary>
internal static class ApiSecuritySchemes
{
    public const string ApiKey = "apiKey";
    public const string FunctionKey = "functionKey";
    public const string EntraId = "entraId";

    public static Dictionary<string, IOpenApiSecurityScheme> All() => new()
    {
        [ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "x-api-key",
            Description = "Local host: the scoring or the admin key (`.local/scoring.key`, `.local/admin.key`). GPU scorer: `Scorer:ApiKey` (scoring).",
        },
        // Header name from "Work with access keys in Azure Functions" (learn.microsoft.com/azure/azure-functions/function-keys-how-to).
        [FunctionKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "x-functions-key",
            Description = "Functions app without Easy Auth: a function key (scoring routes) or a host key (operators).",
        },
        [EntraId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Entra ID access token whose `roles` claim holds the app role `Scoring` or `Admin` (Functions with Easy Auth; the scorer with `Scorer:EntraId:Audience`).",
        },
    };
}
