using System.Net;
using Azure.Identity;

namespace Serverless.Cli.Api;

/// <summary>What <c>--entra</c> tells the user when no token could be had, or when the API refused the one sent.</summary>
public static class EntraTokenProblem
{
    /// <summary>
    /// DefaultAzureCredential found no signed-in identity (or the one it found failed). Its message lists every
    /// credential it tried, one per line; the first line is the summary, the rest stays out of the way.
    /// </summary>
    public static CliInputException NoToken(string scope, AuthenticationFailedException e)
    {
        var summary = e.Message.Split('\n', 2)[0].Trim();
        return new CliInputException(
            $"--entra {scope}: no Entra ID token ({summary}). Sign in with `az login` (or run where a managed identity or " +
            "AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET are set; AZURE_TOKEN_CREDENTIALS=AzureCliCredential picks the Azure CLI alone), or use --key.");
    }

    /// <summary>A hint after the server's own message on 401/403 to a bearer token; null for other statuses.</summary>
    public static string? Hint(HttpStatusCode status, string scope) => status switch
    {
        HttpStatusCode.Unauthorized =>
            $"The token for {scope} was refused: the scope must be the API's (api://<client-id>/.default, docs/auth.md) and the token unexpired.",
        HttpStatusCode.Forbidden =>
            $"The token for {scope} lacks the app role this route needs (Scoring, or Admin for admin routes): assign it to your user or identity on the API's enterprise application (docs/auth.md).",
        _ => null,
    };
}
