using System.Diagnostics;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serverless.Bench;

/// <summary>
/// Per-activity cost of the pipeline's shape (<see cref="NoOpPipeline"/>) on the in-memory backend
/// (DurableTaskTestHost) and on the Azure Storage backend (the local host's sidecar on Azurite). Per activity is the
/// slope between runs with 5 and 0 activities, so orchestration start and completion are not counted in it.
/// </summary>
internal static class OrchestrationBench
{
    public const string InMemoryChildMode = "orchestration-in-memory";

    private const string Area = "orchestration";
    private const int Activities = 5;
    private const string ResultPrefix = "RESULTS ";

    public static async Task<IReadOnlyList<Measurement>> RunAsync(BenchPlatform platform)
    {
        var results = new List<Measurement>();
        Console.WriteLine("Orchestration: in-memory backend (child process)...");
        results.AddRange(await InMemoryInChildAsync());
        Console.WriteLine("Orchestration: Azure Storage backend on Azurite (local host sidecar)...");
        results.AddRange(await MeasureAsync(platform.Services.GetRequiredService<DurableTaskClient>(), "Azure Storage (Azurite)", runs: 8, TimeSpan.FromMilliseconds(20)));
        return results;
    }

    /// <summary>The child's body: prints its measurements as one JSON line.</summary>
    public static async Task<int> InMemoryChildAsync()
    {
        using var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole());
        await using var host = await DurableTaskTestHost.StartAsync(r => r.AddNoOpPipeline(), new DurableTaskTestHostOptions { LoggerFactory = logs });
        var results = await MeasureAsync(host.Client, "in-memory", runs: 20, TimeSpan.FromMilliseconds(2));
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(results));
        return 0;
    }

    // The in-memory service caps concurrent work items at the processor count and waits 500 ms once it is reached;
    // on 2 cores that is most of every run. A child process gets DOTNET_PROCESSOR_COUNT=16 without changing the
    // processor count the other areas see.
    private static async Task<IReadOnlyList<Measurement>> InMemoryInChildAsync()
    {
        var self = Environment.ProcessPath!;
        var psi = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? new ProcessStartInfo(self, [typeof(OrchestrationBench).Assembly.Location, InMemoryChildMode])
            : new ProcessStartInfo(self, [InMemoryChildMode]);
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.Environment["DOTNET_PROCESSOR_COUNT"] = "16";
        using var child = Process.Start(psi)!;
        var output = await child.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(3));
        await child.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The in-memory child exited {child.ExitCode} without results:\n{output}");
        return JsonSerializer.Deserialize<List<Measurement>>(line[ResultPrefix.Length..])!;
    }

    private static async Task<IReadOnlyList<Measurement>> MeasureAsync(DurableTaskClient client, string backend, int runs, TimeSpan poll)
    {
        var empty = await RunsAsync(client, 0, runs, poll);
        var full = await RunsAsync(client, Activities, runs, poll);
        var perActivity = (full - empty) / Activities;
        var note = $"median of {runs} sequential runs, completion polled every {poll.TotalMilliseconds:F0} ms";
        return
        [
            new Measurement(Area, $"{backend}: run with 0 activities", empty, " ms", Note: note),
            new Measurement(Area, $"{backend}: run with {Activities} activities", full, " ms", Note: note),
            new Measurement(Area, $"{backend}: per activity (slope)", perActivity, " ms"),
        ];
    }

    private static async Task<double> RunsAsync(DurableTaskClient client, int activities, int runs, TimeSpan poll)
    {
        var times = new List<double>();
        var budget = Stopwatch.StartNew();
        for (var run = -1; run < runs && budget.Elapsed < TimeSpan.FromSeconds(60); run++)
        {
            var sw = Stopwatch.StartNew();
            var id = await client.ScheduleNewOrchestrationInstanceAsync(NoOpPipeline.Name, activities);
            while (true)
            {
                var meta = await client.GetInstanceAsync(id, getInputsAndOutputs: false);
                if (meta is { IsCompleted: true })
                {
                    if (meta.RuntimeStatus != OrchestrationRuntimeStatus.Completed) throw new InvalidOperationException($"{id}: {meta.RuntimeStatus}");
                    break;
                }

                if (sw.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"{id} did not complete within 30 s.");
                await Task.Delay(poll);
            }

            // Run -1 is the warm-up.
            if (run >= 0) times.Add(sw.Elapsed.TotalMilliseconds);
        }

        return Sampler.Median(times);
    }
}
