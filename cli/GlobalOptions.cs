using System.CommandLine;
using Serverless.Cli.Api;

namespace Serverless.Cli;

/// <summary>The options every command takes (recursive on the root).</summary>
public sealed class GlobalOptions
{
    public Option<string> Endpoint { get; } = new("--endpoint")
    {
        Description = $"The platform's base address (the local host, or the Function App's https://….azurewebsites.net). Default {ApiConnection.DefaultEndpoint}, or MLOPS_ENDPOINT.",
        Recursive = true,
    };

    public Option<string> Key { get; } = new("--key")
    {
        Description = $"API key (x-api-key / x-functions-key). Default: {ApiConnection.KeyVariable}, else .local/admin.key or scoring.key for a loopback endpoint.",
        Recursive = true,
    };

    public Option<string> Entra { get; } = new("--entra")
    {
        Description = "Use an Entra ID token for this scope (e.g. api://<client-id>/.default) from DefaultAzureCredential instead of a key.",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Write the API's JSON (or the result as JSON) to stdout instead of tables.", Recursive = true };

    public Option<double> PollSeconds { get; } = new("--poll")
    {
        Description = "Seconds between polls when following a run.",
        DefaultValueFactory = _ => 1.0,
        Recursive = true,
    };

    public Option<double> TimeoutSeconds { get; } = new("--timeout")
    {
        Description = "Seconds one HTTP request may take (an upload included).",
        DefaultValueFactory = _ => 300.0,
        Recursive = true,
    };

    public const string EndpointVariable = "MLOPS_ENDPOINT";

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Endpoint);
        root.Options.Add(Key);
        root.Options.Add(Entra);
        root.Options.Add(Json);
        root.Options.Add(PollSeconds);
        root.Options.Add(TimeoutSeconds);
    }

    public CliContext ContextFor(ParseResult p, CliEnvironment env)
    {
        var raw = p.GetValue(Endpoint) ?? env.Variable(EndpointVariable) ?? ApiConnection.DefaultEndpoint;
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new CliInputException($"--endpoint must be an absolute http(s) address, not '{raw}'.");
        }

        var entra = p.GetValue(Entra);
        var (key, source) = entra is null ? ApiKeyLocator.Find(p.GetValue(Key), endpoint, env) : (null, null);
        var poll = p.GetValue(PollSeconds);
        if (!(poll > 0)) throw new CliInputException("--poll must be a positive number of seconds.");
        var timeout = p.GetValue(TimeoutSeconds);
        if (!(timeout > 0)) throw new CliInputException("--timeout must be a positive number of seconds.");
        return new CliContext(env, new ApiConnection(endpoint, key, source, entra), p.GetValue(Json), TimeSpan.FromSeconds(poll), TimeSpan.FromSeconds(timeout));
    }
}
