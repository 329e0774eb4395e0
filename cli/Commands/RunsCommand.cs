using System.CommandLine;
using System.Text.Json.Nodes;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>runs list|show|watch|logs|cancel</c>: a model's run history and one run.</summary>
public static class RunsCommand
{
    public static Command Create(GlobalOptions g, CliEnvironment env) => new("runs", "A model's runs: list, show, watch, read the log of or cancel one.")
    {
        List(g, env),
        Show(g, env),
        Watch(g, env),
        Logs(g, env),
        Cancel(g, env),
    };

    private static Command List(GlobalOptions g, CliEnvironment env)
    {
        var model = ModelsCommand.ModelOption();
        var status = new Option<string>("--status") { Description = "Filter: pending, running, completed, failed, canceled, promoted, registered, quarantined (comma-separated)." };
        var limit = new Option<int>("--limit") { Description = "Runs per page (1–200).", DefaultValueFactory = _ => 20 };
        var token = new Option<string>("--continuation") { Description = "The continuation token a previous page printed." };
        var command = new Command("list", "List a model's runs, newest instance ids last (the task hub's order).") { model, status, limit, token };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var query = $"pageSize={p.GetValue(limit)}"
                + (p.GetValue(status) is { } s ? "&status=" + Uri.EscapeDataString(s) : "")
                + (p.GetValue(token) is { } t ? "&continuationToken=" + Uri.EscapeDataString(t) : "");
            var page = await c.Client.GetAsync($"models/{Uri.EscapeDataString(p.GetValue(model)!)}/runs?{query}", ct).ConfigureAwait(false);
            if (c.Json)
            {
                c.WriteJson(page);
                return CliExitCodes.Ok;
            }

            // Run ids are long ({model}-{dataset sha256}-{suffix}): numbered in the table, written out in full below it.
            var runs = page["runs"]?.AsArray() ?? [];
            var table = new Table().AddColumns("#", "status", "outcome", "trigger", "created (UTC)", "version", "step", "metrics");
            var n = 0;
            foreach (var r in runs)
            {
                table.AddRow((++n).ToString(System.Globalization.CultureInfo.InvariantCulture), JsonText.Cell(r?["status"]), JsonText.Cell(r?["outcome"]), JsonText.Cell(r?["trigger"]),
                    JsonText.Time(r?["createdAt"]), JsonText.Cell(r?["version"]), JsonText.Cell(r?["step"]), Markup.Escape(JsonText.Metrics(r?["metrics"])));
            }

            c.Console.Write(table);
            n = 0;
            foreach (var r in runs)
            {
                c.Console.WriteLine($"#{++n} {JsonText.Of(r?["runId"])}");
            }

            if (page["continuationToken"] is { } next) c.Console.MarkupLine($"more: --continuation {Markup.Escape(JsonText.Of(next))}");
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(GlobalOptions g, CliEnvironment env)
    {
        var id = RunId();
        var command = new Command("show", "One run: status, steps with timings, dataset, training, gate and result.") { id };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var run = await c.Client.GetAsync($"runs/{Uri.EscapeDataString(p.GetValue(id)!)}", ct).ConfigureAwait(false);
            if (c.Json)
            {
                c.WriteJson(run);
                return CliExitCodes.Ok;
            }

            var facts = new Table().HideHeaders().AddColumns("", "");
            facts.AddRow("run", JsonText.Cell(run["runId"]));
            facts.AddRow("status", JsonText.Cell(run["status"]));
            facts.AddRow("trigger", JsonText.Cell(run["trigger"] ?? run["input"]?["trigger"]));
            facts.AddRow("created (UTC)", JsonText.Time(run["createdAt"]));
            facts.AddRow("dataset", $"{JsonText.Cell(run["dataset"]?["sha256"])} ({JsonText.Cell(run["dataset"]?["rows"])} rows)");
            facts.AddRow("trainer", $"{JsonText.Cell(run["trainer"]?["type"])} on {JsonText.Cell(run["training"]?["device"])}, fit {JsonText.Cell(run["training"]?["fitSeconds"])} s");
            facts.AddRow("outcome", $"{JsonText.Cell(run["result"]?["outcome"])} {(run["result"]?["version"] is { } v ? "version " + JsonText.Cell(v) : "")}");
            facts.AddRow("metrics", Markup.Escape(JsonText.Metrics(run["result"]?["metrics"])));
            if (run["gate"] is { } gate) facts.AddRow("gate", gate["passed"]?.GetValue<bool>() == true ? "passed" : "[red]failed[/]");
            if (JsonText.Of(run["error"]) is { Length: > 0 } error) facts.AddRow("error", Markup.Escape(error));
            c.Console.Write(facts);

            var steps = new Table().AddColumns("step", "status", "seconds", "detail");
            foreach (var s in run["progress"]?["steps"]?.AsArray() ?? [])
            {
                steps.AddRow(JsonText.Cell(s?["step"]), JsonText.Cell(s?["status"]), JsonText.Cell(s?["seconds"]), JsonText.Cell(s?["detail"]));
            }

            c.Console.Write(steps);
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command Watch(GlobalOptions g, CliEnvironment env)
    {
        var id = RunId();
        var noLogs = new Option<bool>("--no-logs") { Description = "Only the steps, not the run's log lines." };
        var command = new Command("watch", "Follow a run step by step, with its log lines, until it ends (exit 3 unless it registered a model).") { id, noLogs };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var runId = p.GetValue(id)!;
            var (run, code) = await RunFollower.FollowAsync(c, runId, ct, p.GetValue(noLogs) ? null : new RunLogTail(c, runId)).ConfigureAwait(false);
            if (c.Json) c.WriteJson(run);
            return code;
        });
        return command;
    }

    private static Command Logs(GlobalOptions g, CliEnvironment env)
    {
        var id = RunId();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the run ends." };
        var level = new Option<string>("--level") { Description = "Only lines at this level or above: " + string.Join(", ", RunLogTail.Levels) + "." };
        level.AcceptOnlyFromAmong(RunLogTail.Levels);
        var command = new Command("logs", "A run's log lines (ingest, training, gate, promotion; the trainer job's marked [job]).") { id, follow, level };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var tail = new RunLogTail(c, p.GetValue(id)!, p.GetValue(level));
            await tail.ReadNewAsync(ct).ConfigureAwait(false);
            while (p.GetValue(follow) && tail.RunActive)
            {
                await Task.Delay(c.Poll, c.Env.Time, ct).ConfigureAwait(false);
                await tail.ReadNewAsync(ct).ConfigureAwait(false);
            }

            if (c.Json) c.WriteJson(new JsonObject { ["runId"] = p.GetValue(id), ["runStatus"] = tail.RunStatus, ["lines"] = tail.Lines });
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command Cancel(GlobalOptions g, CliEnvironment env)
    {
        var id = RunId();
        var command = new Command("cancel", "Cancel a pending or running run.") { id };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var answer = await c.Client.PostJsonAsync($"runs/{Uri.EscapeDataString(p.GetValue(id)!)}/cancel", null, ct).ConfigureAwait(false);
            if (c.Json) c.WriteJson(answer);
            else c.Console.MarkupLine($"Canceled {JsonText.Cell(answer["runId"])}. {JsonText.Cell(answer["detail"])}");
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> RunId() => new("run-id") { Description = "The run's id (from push or runs list)." };
}
