using System.Net;
using System.Text.Json.Nodes;
using Serverless.Cli.Api;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary>
/// Follows a run step by step (<c>GET /api/runs/{id}</c> every poll interval) until it ends, printing each finished step
/// once and, given a <see cref="RunLogTail"/>, the log lines written since the last poll.
/// </summary>
public static class RunFollower
{
    /// <summary>How long a just-started run may be unknown to the API (its instance being created) before that is an error.</summary>
    private static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(30);

    public static async Task<(JsonNode Run, int Code)> FollowAsync(CliContext c, string runId, CancellationToken ct, RunLogTail? logs = null)
    {
        var printed = new HashSet<string>(StringComparer.Ordinal);
        var started = c.Env.Time.GetUtcNow();
        while (true)
        {
            JsonNode run;
            try
            {
                run = await c.Client.GetAsync($"runs/{Uri.EscapeDataString(runId)}", ct).ConfigureAwait(false);
            }
            catch (ApiProblemException e) when (e.Status == HttpStatusCode.NotFound && c.Env.Time.GetUtcNow() - started < StartGrace)
            {
                await Task.Delay(c.Poll, c.Env.Time, ct).ConfigureAwait(false);
                continue;
            }

            // Read after the status: once the run has ended, its log is complete (each step stores its lines before its result).
            if (logs is not null) await logs.ReadNewAsync(ct).ConfigureAwait(false);
            if (!c.Json) PrintSteps(c.Console, run, printed);
            if (IsFinished(run))
            {
                if (!c.Json) PrintOutcome(c.Console, run);
                return (run, Succeeded(run) ? CliExitCodes.Ok : CliExitCodes.Unsuccessful);
            }

            await Task.Delay(c.Poll, c.Env.Time, ct).ConfigureAwait(false);
        }
    }

    public static bool IsFinished(JsonNode run) =>
        JsonText.Of(run["status"]).ToLowerInvariant() is "completed" or "failed" or "terminated" or "canceled";

    /// <summary>Completed with a registered model (promoted or not); a quarantined drop, a failure or a cancel is not.</summary>
    public static bool Succeeded(JsonNode run) =>
        JsonText.Of(run["status"]).Equals("completed", StringComparison.OrdinalIgnoreCase)
        && JsonText.Of(run["result"]?["outcome"]) is "promoted" or "registered-not-promoted";

    private static void PrintSteps(IAnsiConsole console, JsonNode run, HashSet<string> printed)
    {
        foreach (var step in run["progress"]?["steps"]?.AsArray() ?? [])
        {
            var name = JsonText.Of(step?["step"]);
            var status = JsonText.Of(step?["status"]);
            if (status == "running" || !printed.Add(name)) continue;
            var mark = status == "failed" ? "[red]✗[/]" : "[green]✓[/]";
            var seconds = step?["seconds"] is { } s ? $"{s.GetValue<double>(),6:0.00} s" : "        ";
            console.MarkupLine($"  {mark} {Markup.Escape(name),-10} {seconds}  {JsonText.Cell(step?["detail"])}");
        }
    }

    private static void PrintOutcome(IAnsiConsole console, JsonNode run)
    {
        var result = run["result"];
        var outcome = JsonText.Of(result?["outcome"]);
        var version = result?["version"] is { } v ? $" version {JsonText.Of(v)}" : "";
        if (Succeeded(run))
        {
            console.MarkupLine($"[green]▶[/] {Markup.Escape(outcome)}{version}: {Markup.Escape(JsonText.Metrics(result?["metrics"]))}");
            if (JsonText.Of(result?["notPromotedReason"]) is { Length: > 0 } why) console.MarkupLine($"  not promoted: {Markup.Escape(why)}");
        }
        else
        {
            var why = JsonText.Of(run["error"]) is { Length: > 0 } e ? e : JsonText.Of(result?["ingest"]?["reason"]);
            console.MarkupLine($"[red]▶[/] run {Markup.Escape(JsonText.Of(run["status"]).ToLowerInvariant())} {Markup.Escape(outcome)}{(why.Length > 0 ? ": " + Markup.Escape(why) : "")}");
        }
    }
}
