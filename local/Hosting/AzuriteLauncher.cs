using System.Diagnostics;
using System.Net.Sockets;

namespace Serverless.Local.Hosting;

/// <summary>
/// Makes sure Azurite answers on 10000–10002: if nothing listens, starts the repository's pinned Azurite
/// (installing it with <c>npm ci</c> on first use) with on-disk persistence, detached so it outlives a crashed
/// host and the next start finds the same data.
/// </summary>
public static class AzuriteLauncher
{
    public static readonly int[] Ports = [10000, 10001, 10002];

    public static async Task EnsureRunningAsync(LocalHostOptions options, ILogger logger, CancellationToken ct)
    {
        if (await AllListeningAsync(ct).ConfigureAwait(false))
        {
            return;
        }

        var root = RepositoryRoot.Find()
            ?? throw new InvalidOperationException("Azurite is not running on 127.0.0.1:10000 and no package.json with Azurite was found above the working directory. Start Azurite yourself or run from the repository.");
        var azurite = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(azurite))
        {
            logger.LogInformation("Installing the pinned Azurite (npm ci) in {Root}", root);
            await RunAsync("npm", "ci --no-audit --no-fund --loglevel=error", root, ct).ConfigureAwait(false);
        }

        var location = Path.Combine(root, options.AzuriteLocation);
        Directory.CreateDirectory(location);
        // Output goes to a log file, not a pipe: Azurite outlives this process, and a closed pipe would kill it.
        var log = Path.Combine(location, "azurite.log");
        var command = $"exec node '{azurite}' --silent --skipApiVersionCheck --disableTelemetry --location '{location}' >> '{log}' 2>&1";
        var psi = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd", $"/c node \"{azurite}\" --silent --skipApiVersionCheck --disableTelemetry --location \"{location}\" >> \"{log}\" 2>&1")
            : new ProcessStartInfo("/bin/sh", ["-c", command]);
        psi.WorkingDirectory = root;
        psi.UseShellExecute = false;

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        logger.LogInformation("Started Azurite (pid {Pid}) with data in {Location}", process.Id, location);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await AllListeningAsync(ct).ConfigureAwait(false))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening; is another process using ports 10000–10002?");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Azurite did not start listening on 10000–10002 within 60 s.");
            }

            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }

    public static async Task<bool> AllListeningAsync(CancellationToken ct)
    {
        foreach (var port in Ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port, ct).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task RunAsync(string file, string args, string cwd, CancellationToken ct)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { WorkingDirectory = cwd, UseShellExecute = false })
            ?? throw new InvalidOperationException($"Could not start {file}.");
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {args}' failed with exit code {p.ExitCode}.");
        }
    }
}
