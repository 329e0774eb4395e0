using System.CommandLine;
using System.Text.Json.Nodes;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>release start|status|traffic|approve|reject</c>: safe releases (canary, shadow, manual, hold), their weights and approval.</summary>
public static class ReleaseCommand
{
    public static Command Create(GlobalOptions g, CliEnvironment env) => new("release", "Safe releases: start one with chosen weights, their status, a held weight, and approving or rejecting one that waits.")
    {
        ReleaseStartCommand.Create(g, env),
        Status(g, env),
        Traffic(g, env),
        Decide(g, env, approve: true),
        Decide(g, env, approve: false),
    };

    private static Command Status(GlobalOptions g, CliEnvironment env)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var id = new Argument<string?>("release-id") { Description = "One release (default: every release of the model).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "A model's releases, or one release with its steps and guardrail verdicts.") { name, id };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var model = Uri.EscapeDataString(p.GetValue(name)!);
            var answer = p.GetValue(id) is { } releaseId
                ? await c.Client.GetAsync($"models/{model}/releases/{Uri.EscapeDataString(releaseId)}", ct).ConfigureAwait(false)
                : await c.Client.GetAsync($"models/{model}/releases", ct).ConfigureAwait(false);
            if (c.Json)
            {
                c.WriteJson(answer);
                return CliExitCodes.Ok;
            }

            var releases = answer is JsonArray list ? [.. list.Where(r => r is not null).Select(r => r!)] : new List<JsonNode> { answer };
            var table = new Table().AddColumns("release", "mode", "approval", "candidate", "champion", "status", "percent", "started (UTC)", "reason");
            foreach (var r in releases)
            {
                table.AddRow(JsonText.Cell(r["id"]), JsonText.Cell(r["mode"]), JsonText.Cell(r["approval"]), JsonText.Cell(r["candidate"]), JsonText.Cell(r["champion"]),
                    JsonText.Cell(r["status"]), JsonText.Cell(r["percent"]), JsonText.Time(r["startedAt"]), JsonText.Cell(r["reason"]));
            }

            c.Console.Write(table);
            if (releases is [var one])
            {
                var steps = new Table().AddColumns("step", "percent", "shadow", "periods", "started (UTC)", "verdict");
                var all = one["steps"]?.AsArray() ?? [];
                for (var n = 0; n < all.Count; n++)
                {
                    var s = all[n];
                    var now = n < all.Count - 1 ? "moved mid-period" : one["finishedAt"] is not null ? "ended mid-period" : "baking";
                    var verdict = s?["verdict"] is { } judged ? Verdict(judged)
                        : s?["previousVerdict"] is { } previous ? $"{now}; previous period {Verdict(previous)}" : now;
                    steps.AddRow((n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), JsonText.Cell(s?["percent"]), JsonText.Cell(s?["shadow"]), JsonText.Cell(s?["periods"]), JsonText.Time(s?["startedAt"]), verdict);
                }

                if (all.Count > 0) c.Console.Write(steps);
            }

            return CliExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A step's verdict as its checks' sentences: "held: …" or "breached: …".</summary>
    private static string Verdict(JsonNode verdict) =>
        Markup.Escape((verdict["held"]?.GetValue<bool>() == true ? "held: " : "breached: ")
            + string.Join("; ", verdict["checks"]?.AsArray().Select(c => (string?)c?["detail"]) ?? []));

    private static Command Traffic(GlobalOptions g, CliEnvironment env)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var id = new Argument<string>("release-id") { Description = "A hold release that holds its weight." };
        var percent = new Argument<int>("percent") { Description = "The candidate's new share of keyed traffic, 1–100." };
        var command = new Command("traffic", "Move a held release's candidate to another weight; it is judged there from a new bake period.") { name, id, percent };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var body = new JsonObject { ["percent"] = p.GetValue(percent) };
            var answer = await c.Client.PostJsonAsync($"models/{Uri.EscapeDataString(p.GetValue(name)!)}/releases/{Uri.EscapeDataString(p.GetValue(id)!)}/traffic", body, ct).ConfigureAwait(false);
            if (c.Json) c.WriteJson(answer);
            else c.Console.MarkupLine($"{JsonText.Cell(answer["id"])}: moving v{JsonText.Cell(answer["candidate"])} from {JsonText.Cell(answer["percent"])} % to {p.GetValue(percent)} %");
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command Decide(GlobalOptions g, CliEnvironment env, bool approve)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var id = new Argument<string>("release-id") { Description = "The release waiting for a decision (release status lists them)." };
        var reason = new Option<string>("--reason") { Description = "Why, recorded with the decision." };
        var verb = approve ? "approve" : "reject";
        var command = new Command(verb, approve ? "Approve a release that awaits approval: the candidate takes all traffic." : "Reject a release: the champion keeps serving.") { name, id, reason };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var body = p.GetValue(reason) is { } why ? new JsonObject { ["reason"] = why } : new JsonObject();
            var answer = await c.Client.PostJsonAsync($"models/{Uri.EscapeDataString(p.GetValue(name)!)}/releases/{Uri.EscapeDataString(p.GetValue(id)!)}/{verb}", body, ct).ConfigureAwait(false);
            if (c.Json) c.WriteJson(answer);
            else c.Console.MarkupLine($"{(approve ? "approved" : "rejected")} {JsonText.Cell(answer["id"])} (it was {JsonText.Cell(answer["status"])} at {JsonText.Cell(answer["percent"])} %)");
            return CliExitCodes.Ok;
        });
        return command;
    }
}
