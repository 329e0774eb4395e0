using System.CommandLine;
using System.Text.Json.Nodes;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>models list|show|promote|rollback|compare</c>: the registry.</summary>
public static class ModelsCommand
{
    public static Option<string> ModelOption() => new("--model", "-m") { Description = "The model's name.", Required = true };

    public static Command Create(GlobalOptions g, CliEnvironment env) => new("models", "Registered models: list, show, promote, roll back or compare versions.")
    {
        List(g, env),
        Show(g, env),
        Promote(g, env),
        Rollback(g, env),
        Compare(g, env),
    };

    private static Command List(GlobalOptions g, CliEnvironment env)
    {
        var command = new Command("list", "Every model with its champion and version count.");
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var models = await c.Client.GetAsync("models", ct).ConfigureAwait(false);
            if (c.Json)
            {
                c.WriteJson(models);
                return CliExitCodes.Ok;
            }

            var table = new Table().AddColumns("model", "spec", "champion", "versions");
            foreach (var m in models.AsArray())
            {
                table.AddRow(JsonText.Cell(m?["model"]), m?["hasSpec"]?.GetValue<bool>() == true ? "yes" : "no", JsonText.Cell(m?["champion"]), JsonText.Cell(m?["versions"]));
            }

            c.Console.Write(table);
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(GlobalOptions g, CliEnvironment env)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var command = new Command("show", "A model's aliases, versions with their holdout metrics, and alias history.") { name };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var model = await c.Client.GetAsync($"models/{Uri.EscapeDataString(p.GetValue(name)!)}", ct).ConfigureAwait(false);
            if (c.Json)
            {
                c.WriteJson(model);
                return CliExitCodes.Ok;
            }

            var spec = model["spec"];
            c.Console.MarkupLine($"[bold]{JsonText.Cell(model["model"])}[/]: {JsonText.Cell(spec?["task"])} on '{JsonText.Cell(spec?["label"])}', {spec?["features"]?.AsArray().Count ?? 0} features; "
                + $"aliases: {Markup.Escape(string.Join(", ", (model["aliases"]?.AsObject() ?? []).Select(kv => $"{kv.Key} → {JsonText.Of(kv.Value)}")))}");
            foreach (var problem in model["specProblems"]?.AsArray() ?? [])
            {
                c.Console.MarkupLine($"[red]spec problem[/] {JsonText.Cell(problem?["path"])}: {JsonText.Cell(problem?["message"])}");
            }

            var versions = new Table().AddColumns("version", "created (UTC)", "trainer", "gate", "aliases", "metrics");
            foreach (var v in model["versions"]?.AsArray() ?? [])
            {
                versions.AddRow(JsonText.Cell(v?["version"]), JsonText.Time(v?["createdAt"]), JsonText.Cell(v?["trainer"]),
                    v?["gatePassed"]?.GetValue<bool>() == true ? "passed" : "failed",
                    Markup.Escape(string.Join(", ", (v?["aliases"]?.AsArray() ?? []).Select(JsonText.Of))), Markup.Escape(JsonText.Metrics(v?["metrics"])));
            }

            c.Console.Write(versions);
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command Promote(GlobalOptions g, CliEnvironment env)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var version = new Argument<int>("version") { Description = "The version to serve as champion." };
        var command = new Command("promote", "Make a version the champion (manual promotion).") { name, version };
        command.SetAction(g, env, (p, c, ct) => PromoteAsync(c, p.GetValue(name)!, p.GetValue(version), ct));
        return command;
    }

    private static Command Rollback(GlobalOptions g, CliEnvironment env)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var to = new Option<int?>("--to") { Description = "The version to go back to; default: the champion before the current one." };
        var command = new Command("rollback", "Serve the previous champion again (or --to a version).") { name, to };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var model = p.GetValue(name)!;
            var target = p.GetValue(to);
            if (target is null)
            {
                var details = await c.Client.GetAsync($"models/{Uri.EscapeDataString(model)}", ct).ConfigureAwait(false);
                target = PreviousChampion(details)
                    ?? throw new CliInputException($"'{model}' has no earlier champion to roll back to; name one with --to.");
            }

            return await PromoteAsync(c, model, target.Value, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The version the champion alias pointed at before its latest move.</summary>
    public static int? PreviousChampion(JsonNode details)
    {
        var moves = (details["aliasHistory"]?.AsArray() ?? []).Where(m => JsonText.Of(m?["alias"]) == "champion").ToList();
        var current = details["aliases"]?["champion"]?.GetValue<int>();
        var last = moves.LastOrDefault(m => m?["version"]?.GetValue<int>() == current);
        return last?["previousVersion"]?.GetValue<int>();
    }

    private static async Task<int> PromoteAsync(CliContext c, string model, int version, CancellationToken ct)
    {
        var answer = await c.Client.PostJsonAsync($"models/{Uri.EscapeDataString(model)}/versions/{version}/promote", null, ct).ConfigureAwait(false);
        if (c.Json) c.WriteJson(answer);
        else c.Console.MarkupLine($"{JsonText.Cell(answer["model"])} {JsonText.Cell(answer["alias"])}: {(answer["previousVersion"] is { } prev ? JsonText.Cell(prev) : "none")} → {JsonText.Cell(answer["version"])}");
        return CliExitCodes.Ok;
    }

    private static Command Compare(GlobalOptions g, CliEnvironment env)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var a = new Argument<int>("a") { Description = "The first version." };
        var b = new Argument<int>("b") { Description = "The second version (deltas are b − a)." };
        var command = new Command("compare", "Two versions side by side: metric deltas and what differs in parameters, data and spec.") { name, a, b };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var cmp = await c.Client.GetAsync($"models/{Uri.EscapeDataString(p.GetValue(name)!)}/versions/compare?a={p.GetValue(a)}&b={p.GetValue(b)}", ct).ConfigureAwait(false);
            if (c.Json)
            {
                c.WriteJson(cmp);
                return CliExitCodes.Ok;
            }

            var metrics = new Table().AddColumns("metric", $"v{p.GetValue(a)}", $"v{p.GetValue(b)}", "delta", "better");
            foreach (var m in cmp["metrics"]?.AsArray() ?? [])
            {
                metrics.AddRow(JsonText.Cell(m?["metric"]), JsonText.Cell(m?["a"]), JsonText.Cell(m?["b"]), JsonText.Cell(m?["delta"]), JsonText.Cell(m?["better"]));
            }

            c.Console.Write(metrics);
            var diffs = new Table().AddColumns("differs", $"v{p.GetValue(a)}", $"v{p.GetValue(b)}");
            foreach (var section in new[] { "parameters", "spec" })
            {
                foreach (var d in cmp[section]?.AsArray() ?? [])
                {
                    diffs.AddRow($"{section}: {JsonText.Cell(d?["name"])}", JsonText.Cell(d?["a"]), JsonText.Cell(d?["b"]));
                }
            }

            if (diffs.Rows.Count > 0) c.Console.Write(diffs);
            c.Console.MarkupLine(cmp["dataset"]?["sameVersion"]?.GetValue<bool>() == true ? "same dataset version" : "different dataset versions");
            return CliExitCodes.Ok;
        });
        return command;
    }
}
