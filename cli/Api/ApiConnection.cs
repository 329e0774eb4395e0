namespace Serverless.Cli.Api;

/// <summary>Where the API is and how to authenticate: a key (x-api-key) or an Entra ID token for <paramref name="EntraScope"/>.</summary>
/// <param name="KeySource">Where the key came from (option, environment, file), for messages; never the key itself.</param>
public sealed record ApiConnection(Uri Endpoint, string? Key, string? KeySource, string? EntraScope)
{
    public const string DefaultEndpoint = "http://localhost:7071";

    /// <summary>The environment variable read when <c>--key</c> is not given.</summary>
    public const string KeyVariable = "MLOPS_API_KEY";

    /// <summary>Whether the endpoint is the local host on this machine (where <c>.local/*.key</c> apply).</summary>
    public static bool IsLoopback(Uri endpoint) => endpoint.IsLoopback;
}
