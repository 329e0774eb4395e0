using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Serverless.App.Http.Auth;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>The built local host as a separate OS process, so a test can kill it hard and start it again.</summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly string[] _args;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public LocalHostProcess(string taskHub, string apiKey, string connectionString, params string[] extraArgs)
    {
        Port = FreePort();
        _args =
        [
            $"--LocalHost:Port={Port}", $"--LocalHost:AdminKey={apiKey}", $"--LocalHost:ScoringKey={apiKey}-scoring", $"--LocalHost:TaskHub={taskHub}",
            $"--LocalHost:StorageConnectionString={connectionString}", "--LocalHost:StartAzurite=false",
            "--LocalHost:WatchInterval=00:00:00.200", "--LocalHost:WorkItemVisibilityTimeout=00:00:10",
            "--LocalHost:DropFolder=", // never the repository's own drop/ folder
            .. extraArgs,
        ];
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
        Http.DefaultRequestHeaders.Add(ApiKeyFilter.Header, apiKey);
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Dll());
        foreach (var a in _args) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"The local host exited with {_process.ExitCode}.");
            try
            {
                return (await Http.GetAsync("/api/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the local host to answer");
    }

    public bool HasExited => _process!.HasExited;

    /// <summary>The process's last lines of output, for a failure message.</summary>
    public string OutputTail => string.Join('\n', _output);

    /// <summary>SIGTERM: what an operator, systemd or a container runtime sends; the host shuts down gracefully.</summary>
    public void Terminate()
    {
        if (Kill(_process!.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — a crash.</summary>
    public async Task KillAsync()
    {
        _process!.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            await KillAsync();
        }

        _process?.Dispose();
        Http.Dispose();
    }

    private void Keep(string? line)
    {
        // Stack frames crowd out what happened; the messages are enough to diagnose.
        if (line is null || line.TrimStart().StartsWith("at ", StringComparison.Ordinal)) return;
        _output.Enqueue(line);
        while (_output.Count > 200) _output.TryDequeue(out _);
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    // The host's own build output (it has the runtimeconfig the test's copy lacks).
    private static string Dll()
    {
        var bin = Path.Combine(Azurite.FindRoot(), "local", "bin");
        return Directory.EnumerateFiles(bin, "Serverless.Local.dll", SearchOption.AllDirectories)
            .Where(f => File.Exists(Path.ChangeExtension(f, ".runtimeconfig.json")))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
