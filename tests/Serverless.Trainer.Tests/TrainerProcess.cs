using System.Collections.Concurrent;
using System.Diagnostics;

namespace Serverless.Trainer.Tests;

/// <summary>
/// The trainer console app as its own process (the build output beside the tests, run with <c>dotnet</c>), as a
/// Container Apps Job execution runs it; its output is kept for the failure message.
/// </summary>
internal sealed class TrainerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private TrainerProcess(Process process) => _process = process;

    public string Name { get; private init; } = "";

    public bool HasExited => _process.HasExited;

    public static TrainerProcess Start(string name, IEnumerable<string> configuration)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Serverless.Trainer.dll"));
        foreach (var c in configuration) psi.ArgumentList.Add(c);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start.");
        var trainer = new TrainerProcess(process) { Name = name };
        process.OutputDataReceived += (_, e) => trainer.Add(e.Data);
        process.ErrorDataReceived += (_, e) => trainer.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return trainer;
    }

    /// <summary>Ends the process at once, as a lost job replica (node gone, OOM kill) ends: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public bool Logged(string text) => _output.Any(l => l.Contains(text, StringComparison.Ordinal));

    public string Output => $"--- {Name} ---\n{string.Join('\n', _output.TakeLast(60))}";

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null) _output.Enqueue(line);
    }
}
