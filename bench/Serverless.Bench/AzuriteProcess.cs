using System.Diagnostics;
using System.Net.Sockets;

namespace Serverless.Bench;

/// <summary>
/// Uses an Azurite already listening on 10000–10002, otherwise starts the repository's pinned copy in memory and
/// stops it again on dispose (unlike the local host's launcher, which leaves a persistent one running).
/// </summary>
internal sealed class AzuriteProcess : IDisposable
{
    public const string ConnectionString = "UseDevelopmentStorage=true";

    private readonly Process? _started;

    private AzuriteProcess(Process? started) => _started = started;

    public static async Task<AzuriteProcess> EnsureRunningAsync(string root)
    {
        if (await ListeningAsync()) return new AzuriteProcess(null);

        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script)) throw new InvalidOperationException($"Azurite is not running and not installed; run `npm ci` in {root}.");

        var psi = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var a in new[] { script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry" }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await ListeningAsync())
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                process.Dispose();
                throw new InvalidOperationException("Azurite did not start listening on 10000–10002.");
            }

            await Task.Delay(100);
        }

        return new AzuriteProcess(process);
    }

    public void Dispose()
    {
        if (_started is null) return;
        try
        {
            _started.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _started.Dispose();
    }

    private static async Task<bool> ListeningAsync()
    {
        foreach (var port in new[] { 10000, 10001, 10002 })
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
