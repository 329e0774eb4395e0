namespace Serverless.Cli.Api;

/// <summary>
/// Picks the key: <c>--key</c>, then <c>MLOPS_API_KEY</c>, then, only for a loopback endpoint, the local host's
/// generated keys in <c>.local/</c> of the nearest folder above the working directory that has them (admin first: it
/// includes scoring). A key file is never sent to a remote endpoint.
/// </summary>
public static class ApiKeyLocator
{
    public static readonly string[] LocalKeyFiles = ["admin.key", "scoring.key"];

    public static (string? Key, string? Source) Find(string? option, Uri endpoint, CliEnvironment env)
    {
        if (!string.IsNullOrWhiteSpace(option)) return (option.Trim(), "--key");
        if (env.Variable(ApiConnection.KeyVariable) is { Length: > 0 } fromEnv) return (fromEnv.Trim(), ApiConnection.KeyVariable);
        if (!ApiConnection.IsLoopback(endpoint)) return (null, null);
        for (var dir = new DirectoryInfo(env.WorkingDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var name in LocalKeyFiles)
            {
                var path = Path.Combine(dir.FullName, ".local", name);
                if (File.Exists(path)) return (File.ReadAllText(path).Trim(), path);
            }
        }

        return (null, null);
    }
}
