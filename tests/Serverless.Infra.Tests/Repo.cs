using System.Diagnostics;
using System.Reflection;

// The Bicep CLI package these tests run is the linux-x64 build.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Serverless.Infra.Tests;

/// <summary>Paths the build baked in (repository root, Bicep CLI from the package cache) and a process runner.</summary>
public static class Repo
{
    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing.");

    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(Path(parts));

    public static string BicepCli
    {
        get
        {
            var path = Metadata("BicepCli");
            Assert.True(File.Exists(path), $"Bicep CLI not found at {path}: restore tests/Serverless.Infra.Tests (it downloads Azure.Bicep.CommandLine.linux-x64).");
            // Package extraction does not always keep the execute bit.
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }

            return path;
        }
    }

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string Output => (StdOut + StdErr).Trim();
    }

    public static async Task<Result> RunBicepAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(BicepCli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // Offline and quiet: no telemetry, no update checks.
        psi.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
