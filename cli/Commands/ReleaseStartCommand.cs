using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary>
/// <c>release start MODEL VERSION [--mode] [--steps] [--bake] [--approval] …</c>: a release under the spec's release
/// section, each option given overriding that key for this release only (the API checks them by the spec's rules).
/// </summary>
public static class ReleaseStartCommand
{
    public static Command Create(GlobalOptions g, CliEnvironment env)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var version = new Argument<int>("version") { Description = "The registered version to release." };
        var mode = new Option<string>("--mode") { Description = "canary (steps, then champion), hold (the last step is held until approve/reject), shadow or manual." };
        mode.AcceptOnlyFromAmong("canary", "hold", "shadow", "manual");
        var steps = new Option<string>("--steps") { Description = "Percentages of keyed traffic, increasing, e.g. 10,50,100 (a canary ends at 100; a hold at the weight it holds)." };
        var bake = new Option<string>("--bake") { Description = "Bake time per step ([d.]hh:mm:ss), after which the guardrails are judged." };
        var approval = new Option<string>("--approval") { Description = "none or required (wait for approve before the candidate takes all traffic)." };
        approval.AcceptOnlyFromAmong("none", "required");
        var approvalTimeout = new Option<string>("--approval-timeout") { Description = "How long a decision may take ([d.]hh:mm:ss); then rolled back." };
        var routingKey = new Option<string>("--routing-key") { Description = "The request field that routes requests without an x-routing-key header." };
        var guardrails = new Option<string>("--guardrails") { Description = """Guardrails as JSON, replacing the spec's, e.g. '{"maxErrorRate": 0.01, "minRequests": 100}'.""" };
        var command = new Command("start", "Start a release of a version; options override the spec's release section for this release.")
        {
            name, version, mode, steps, bake, approval, approvalTimeout, routingKey, guardrails,
        };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var body = new JsonObject();
            if (p.GetValue(mode) is { } m) body["mode"] = m;
            if (p.GetValue(steps) is { } s) body["steps"] = new JsonArray([.. ParseSteps(s).Select(v => (JsonNode)v)]);
            if (p.GetValue(bake) is { } b) body["bakeTime"] = b;
            if (p.GetValue(approval) is { } a) body["approval"] = a;
            if (p.GetValue(approvalTimeout) is { } t) body["approvalTimeout"] = t;
            if (p.GetValue(routingKey) is { } k) body["routingKey"] = k;
            if (p.GetValue(guardrails) is { } gr) body["guardrails"] = ParseObject(gr);

            var model = p.GetValue(name)!;
            var answer = await c.Client.PostJsonAsync($"models/{Uri.EscapeDataString(model)}/versions/{p.GetValue(version)}/release", body, ct).ConfigureAwait(false);
            if (c.Json)
            {
                c.WriteJson(answer);
                return CliExitCodes.Ok;
            }

            var release = answer["release"];
            var weights = string.Join(" → ", release?["steps"]?.AsArray().Select(JsonText.Cell) ?? []);
            c.Console.MarkupLine($"▶ Release {JsonText.Cell(answer["releaseId"])}: {JsonText.Cell(answer["mode"])} of v{JsonText.Cell(answer["candidate"])} (champion v{JsonText.Cell(answer["champion"])})");
            c.Console.MarkupLine($"  steps {weights} %, bake {JsonText.Cell(release?["bakeTime"])}, approval {JsonText.Cell(release?["approval"])}; set here: {SetHere(answer["overrides"])}");
            c.Console.MarkupLine($"  follow: mlops release status {Markup.Escape(model)} {JsonText.Cell(answer["releaseId"])}");
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static IEnumerable<int> ParseSteps(string steps)
    {
        foreach (var part in steps.Split(',', StringSplitOptions.TrimEntries))
        {
            yield return int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
                ? percent
                : throw new CliInputException($"--steps takes whole percentages separated by commas (e.g. 10,50,100), not '{part}'.");
        }
    }

    private static JsonObject ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new CliInputException("--guardrails takes a JSON object.");
        }
        catch (JsonException e)
        {
            throw new CliInputException($"--guardrails is not JSON: {e.Message}");
        }
    }

    private static string SetHere(JsonNode? keys) =>
        keys is JsonArray { Count: > 0 } list ? string.Join(", ", list.Select(JsonText.Cell)) : "nothing (the spec's settings)";
}
