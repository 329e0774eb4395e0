using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Serverless.Tests.Shared;

/// <summary>
/// An Azurite of the caller's own (the repository's pinned copy), on free ports, with an account and key made up
/// for this run, so a test can stop and restart storage, and the bench can load it, without disturbing anyone
/// using 10000–10002 (<see cref="Azurite"/> is the test process's shared one). Data is on disk (survives <see cref="StopAsync"/>) unless <c>inMemory</c>.
/// </summary>
public sealed class PrivateAzurite(bool inMemory = false) : IAsyncDisposable
{
    private readonly string? _location = inMemory ? null : Directory.CreateTempSubdirectory("azurite-").FullName;
    private readonly string _account = "acct" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly int[] _ports = [FreePort(), FreePort(), FreePort()];
    private Process? _process;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={_account};AccountKey={_key};" +
        $"BlobEndpoint=http://127.0.0.1:{_ports[0]}/{_account};QueueEndpoint=http://127.0.0.1:{_ports[1]}/{_account};TableEndpoint=http://127.0.0.1:{_ports[2]}/{_account};";

    /// <summary>Azurite's blob port, to check from outside whether it still listens.</summary>
    public int BlobPort => _ports[0];

    /// <summary>Closes this process's end of the launcher's stdin, as a dying test host would.</summary>
    public void Orphan() => _process?.StandardInput.Close();

    public async Task StartAsync()
    {
        var script = Path.Combine(Azurite.FindRoot(), "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed; run `npm ci` in {Azurite.FindRoot()}.");
        }

        // Through a launcher that stops Azurite when this process's end of its stdin pipe closes, so an Azurite never
        // outlives a test host that was killed before its exit handlers ran.
        var psi = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(Azurite.FindRoot(), "scripts", "azurite-child.mjs"));
        psi.ArgumentList.Add(script);
        foreach (var a in new[] { "--silent", "--skipApiVersionCheck", "--disableTelemetry" }) psi.ArgumentList.Add(a);
        if (_location is null)
        {
            psi.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(_location);
        }

        foreach (var (option, port) in new[] { ("--blobPort", _ports[0]), ("--queuePort", _ports[1]), ("--tablePort", _ports[2]) })
        {
            psi.ArgumentList.Add(option);
            psi.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        }

        psi.Environment["AZURITE_ACCOUNTS"] = $"{_account}:{_key}";
        _process = Process.Start(psi)!;
        // The last lines Azurite wrote, for the error if it exits before listening (e.g. a port taken meanwhile).
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        DataReceivedEventHandler keep = (_, e) =>
        {
            if (e.Data is { } line)
            {
                output.Enqueue(line);
                while (output.Count > 20 && output.TryDequeue(out string? _))
                {
                }
            }
        };
        _process.OutputDataReceived += keep;
        _process.ErrorDataReceived += keep;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var process = _process;
        await Eventually.TrueAsync(
            () => process.HasExited
                ? throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening on {string.Join(", ", _ports)}: {string.Join(" | ", output)}")
                : Azurite.ListeningAsync(_ports),
            TimeSpan.FromSeconds(60),
            "private Azurite to listen");
    }

    /// <summary>
    /// Stops Azurite the way an operator would (SIGTERM), so it flushes its metadata: Azurite keeps blob metadata
    /// in LokiJS and saves it only every 5 s, so a SIGKILL loses recent writes and a restart serves an older store.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            if (!OperatingSystem.IsWindows() && Kill(_process.Id, SigTerm) == 0)
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

    /// <summary>
    /// Ends Azurite without waiting (at process exit, for in-memory instances, where there is nothing to flush): SIGTERM
    /// to the launcher, which forwards it and exits with Azurite, and our end of its stdin closed as a second signal.
    /// Not <c>Kill(entireProcessTree)</c>: on Unix it first SIGSTOPs the tree, then SIGKILLs it, and a test host that
    /// ends between the two leaves the launcher stopped (it never reads its stdin's end) and Azurite running; three
    /// such stopped launchers were found after one CI run.
    /// </summary>
    public void Kill()
    {
        if (_process is not { } process)
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                process.Kill(entireProcessTree: true);
                return;
            }

            Kill(process.Id, SigTerm);
            process.StandardInput.Close();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
        }
    }

    /// <summary>The launcher's process id (tests check it ends, never stopped).</summary>
    public int? LauncherId => _process?.Id;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_location is null)
        {
            return;
        }

        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>
    /// A free port below the kernel's ephemeral range. A port from bind(0) is ephemeral: between our release and
    /// Azurite's bind, an outgoing connection of the busy test run could take it (Azurite then exits with code 1).
    /// </summary>
    private static int FreePort()
    {
        var ephemeralLow = EphemeralLow();
        for (var attempt = 0; attempt < 200 && ephemeralLow > ReservedBelow + 1000; attempt++)
        {
            var port = Random.Shared.Next(ReservedBelow, ephemeralLow);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Above Azurite's defaults (10000–10002) and other well-known development ports.</summary>
    private const int ReservedBelow = 20000;

    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768; // Linux's default low end; elsewhere the probe bind still rules out ports in use.
        }
    }
}
