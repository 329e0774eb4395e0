using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// An Azurite of the test's own, on free ports, with an account and key made up for this run and data on disk,
/// so a test can stop and restart storage without disturbing anything else.
/// </summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    private readonly string _location = Directory.CreateTempSubdirectory("azurite-").FullName;
    private readonly string _account = "acct" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly int[] _ports = [FreePort(), FreePort(), FreePort()];
    private Process? _process;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={_account};AccountKey={_key};" +
        $"BlobEndpoint=http://127.0.0.1:{_ports[0]}/{_account};QueueEndpoint=http://127.0.0.1:{_ports[1]}/{_account};TableEndpoint=http://127.0.0.1:{_ports[2]}/{_account};";

    public async Task StartAsync()
    {
        var script = Path.Combine(Azurite.FindRoot(), "node_modules", "azurite", "dist", "src", "azurite.js");
        var psi = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            script, "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--location", _location,
            "--blobPort", _ports[0].ToString(), "--queuePort", _ports[1].ToString(), "--tablePort", _ports[2].ToString(),
        })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["AZURITE_ACCOUNTS"] = $"{_account}:{_key}";
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.TrueAsync(ListeningAsync, TimeSpan.FromSeconds(60), "private Azurite to listen");
    }

    /// <summary>
    /// Stops Azurite the way an operator would (SIGTERM), so it flushes its metadata: Azurite keeps blob metadata
    /// in LokiJS and saves it only every 5 s, so a SIGKILL loses recent writes and a restart serves an older store.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            if (!OperatingSystem.IsWindows() && Terminate(_process.Id) == 0)
            {
                using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(graceful.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> ListeningAsync()
    {
        foreach (var port in _ports)
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static int Terminate(int pid) => Kill(pid, 15); // SIGTERM

    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
