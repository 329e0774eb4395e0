using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Cli.Api;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary>What every command gets: the connection from the global options, the output mode, and the environment.</summary>
public sealed class CliContext(CliEnvironment env, ApiConnection connection, bool json, TimeSpan poll, TimeSpan timeout) : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private PlatformClient? _client;

    public CliEnvironment Env { get; } = env;

    public IAnsiConsole Console => Env.Console;

    public ApiConnection Connection { get; } = connection;

    /// <summary><c>--json</c>: machine output on stdout, nothing else there.</summary>
    public bool Json { get; } = json;

    /// <summary>How often a followed run or release is polled.</summary>
    public TimeSpan Poll { get; } = poll;

    public PlatformClient Client => _client ??= new PlatformClient(Connection, timeout, Env.Time);

    public void WriteJson(JsonNode node) => Env.Out.WriteLine(node.ToJsonString(Indented));

    public void Dispose() => _client?.Dispose();
}
