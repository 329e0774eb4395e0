using System.CommandLine;
using System.Text.Json.Nodes;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>drift show MODEL [--check]</c>: the latest drift report as a terminal bar chart of each feature's PSI, and its verdicts.</summary>
public static class DriftCommand
{
    public static Command Create(GlobalOptions g, CliEnvironment env)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var check = new Option<bool>("--check") { Description = "Run the drift and quality check now (with its actions, e.g. a retraining run) before showing it." };
        var show = new Command("show", "The latest drift report: PSI per feature as bars, then each feature's test, statistic and verdict.") { name, check };
        show.SetAction(g, env, async (p, c, ct) =>
        {
            var model = Uri.EscapeDataString(p.GetValue(name)!);
            var report = p.GetValue(check)
                ? (await c.Client.PostJsonAsync($"models/{model}/monitoring/check", null, ct).ConfigureAwait(false))["drift"]
                : (await c.Client.GetAsync($"models/{model}/monitoring", ct).ConfigureAwait(false))["latestDrift"];
            if (report is null) throw new CliInputException($"'{p.GetValue(name)}' has no drift report yet; run with --check to make one now.");
            if (c.Json)
            {
                c.WriteJson(report);
                return CliExitCodes.Ok;
            }

            Render(c.Console, report);
            return CliExitCodes.Ok;
        });
        return new Command("drift", "Data drift of the served model's traffic against its training data.") { show };
    }

    private static void Render(IAnsiConsole console, JsonNode report)
    {
        console.MarkupLine($"{JsonText.Cell(report["model"])} v{JsonText.Cell(report["version"])} at {JsonText.Time(report["at"])} UTC: [bold]{JsonText.Cell(report["status"])}[/], "
            + $"{(report["driftedShare"]?.GetValue<double>() ?? 0) * 100:0.#} % of features drifted ({JsonText.Cell(report["currentRows"])} rows against {JsonText.Cell(report["referenceRows"])} training rows)");
        var features = (report["features"]?.AsArray() ?? []).Where(f => f is not null).Select(f => f!).ToList();
        if (report["prediction"] is { } prediction) features.Add(prediction);

        // PSI bands: none < 0.1, moderate 0.1–0.25, significant ≥ 0.25 (FeatureDrift.PsiBand).
        var chart = new BarChart().Label("PSI per feature (training → current)").Width(72);
        foreach (var f in features)
        {
            var psi = f["psi"]?.GetValue<double?>() ?? 0;
            var color = JsonText.Of(f["psiBand"]) switch { "significant" => Color.Red, "moderate" => Color.Yellow, _ => Color.Green };
            chart.AddItem(JsonText.Of(f["name"]), Math.Round(psi, 4), color);
        }

        console.Write(chart);
        var table = new Table().AddColumn(new TableColumn("feature").NoWrap()).AddColumn(new TableColumn("method").NoWrap())
            .AddColumns("statistic", "p-value", "threshold", "psi").AddColumn(new TableColumn("band").NoWrap()).AddColumns("missing", "drifted");
        foreach (var f in features)
        {
            table.AddRow(JsonText.Cell(f["name"]), JsonText.Cell(f["method"]), JsonText.Cell(f["statistic"]), JsonText.Cell(f["pValue"]),
                JsonText.Cell(f["threshold"]), JsonText.Cell(f["psi"]), JsonText.Cell(f["psiBand"]), JsonText.Cell(f["missingCount"]),
                f["drifted"]?.GetValue<bool>() == true ? "[red]yes[/]" : "no");
        }

        console.Write(table);
    }
}
