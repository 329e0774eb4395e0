using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using Serverless.App.Models;
using Serverless.Core;
using Serverless.Core.Runs;

namespace Serverless.Local.Demo;

/// <summary>Follows a run through <c>GET /api/runs/{id}</c>, printing each step as it starts and ends, until it finishes or the deadline passes.</summary>
public static class RunFollower
{
    public static async Task<RunView?> FollowAsync(HttpClient http, string runId, TextWriter output, TimeSpan deadline, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var printed = new HashSet<string>();
        RunView? run = null;
        while (clock.Elapsed < deadline)
        {
            var response = await http.GetAsync($"/api/runs/{runId}", ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                run = await response.Content.ReadFromJsonAsync<RunView>(PlatformJson.Options, ct).ConfigureAwait(false);
                foreach (var step in run?.Progress?.Steps ?? [])
                {
                    if (!printed.Add(step.Step + step.Status)) continue;
                    await output.WriteLineAsync(step.Status == StepStatuses.Running
                        ? $"  … {step.Step}"
                        : $"  {(step.Status == StepStatuses.Completed ? "✓" : "✗")} {step.Step,-9} {step.Seconds,6:F2} s  {step.Detail}").ConfigureAwait(false);
                }

                if (run?.Status is nameof(OrchestrationRuntimeStatus.Completed) or nameof(OrchestrationRuntimeStatus.Failed) or nameof(OrchestrationRuntimeStatus.Terminated))
                {
                    return run;
                }
            }

            await Task.Delay(250, ct).ConfigureAwait(false);
        }

        return run;
    }
}
