using System.Diagnostics;
using System.Net.Sockets;
using Azure.Storage.Blobs;

namespace Serverless.Tests.Shared;

/// <summary>
/// Real Azurite for tests: uses one already listening on 10000–10002 (CI starts it), otherwise starts the
/// repository's pinned copy in memory for the rest of the test run.
/// </summary>
public static class Azurite
{
    public const string ConnectionString = "UseDevelopmentStorage=true";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Process? _started;

    public static async Task EnsureRunningAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (await ListeningAsync())
            {
                return;
            }

            var root = FindRoot();
            var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
            if (!File.Exists(script))
            {
                throw new InvalidOperationException($"Azurite is not running and not installed; run `npm ci` in {root}.");
            }

            var psi = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
            foreach (var a in new[] { script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry" })
            {
                psi.ArgumentList.Add(a);
            }

            _started = Process.Start(psi)!;
            _started.OutputDataReceived += (_, _) => { };
            _started.ErrorDataReceived += (_, _) => { };
            _started.BeginOutputReadLine();
            _started.BeginErrorReadLine();
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try { _started.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            };

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!await ListeningAsync())
            {
                if (_started.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("Azurite did not start listening on 10000–10002.");
                }

                await Task.Delay(100);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    public static BlobServiceClient Blobs() => new(ConnectionString);

    /// <summary>A model name no other test uses, so tests can share Azurite's fixed containers.</summary>
    public static string UniqueModel(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    public static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Serverless.sln) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Whether something accepts connections on every one of <paramref name="ports"/> (default: 10000–10002).</summary>
    public static async Task<bool> ListeningAsync(IEnumerable<int>? ports = null)
    {
        foreach (var port in ports ?? [10000, 10001, 10002])
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}
