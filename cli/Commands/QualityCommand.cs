using System.CommandLine;
using System.Text.Json.Nodes;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>quality show MODEL [--bucket 1h] [--from] [--to] [--min-labels]</c>: live quality per time bucket and version, as a table.</summary>
public static class QualityCommand
{
    public static Command Create(GlobalOptions g, CliEnvironment env)
    {
        var name = new Argument<string>("model") { Description = "The model's name." };
        var bucket = new Option<string?>("--bucket") { Description = "Bucket size: 15m, 1h, 1d or hh:mm:ss (default 1h)." };
        var from = new Option<string?>("--from") { Description = "Predictions logged at or after (ISO 8601; default: the spec's longest quality window ago)." };
        var to = new Option<string?>("--to") { Description = "Predictions logged before (ISO 8601; default now)." };
        var minLabels = new Option<int?>("--min-labels") { Description = "Labels a bucket needs before its metrics are given (default 10)." };
        var show = new Command("show", "Live metrics per time bucket and version (buckets with predictions), against each version's holdout metrics.") { name, bucket, from, to, minLabels };
        show.SetAction(g, env, async (p, c, ct) =>
        {
            var query = string.Join("&", new (string Key, string? Value)[]
                {
                    ("bucket", p.GetValue(bucket)), ("from", p.GetValue(from)), ("to", p.GetValue(to)), ("minLabels", p.GetValue(minLabels)?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                }
                .Where(q => q.Value is not null).Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value!)}"));
            var series = await c.Client.GetAsync($"models/{Uri.EscapeDataString(p.GetValue(name)!)}/monitoring/quality{(query.Length > 0 ? "?" + query : "")}", ct).ConfigureAwait(false);
            if (c.Json)
            {
                c.WriteJson(series);
                return CliExitCodes.Ok;
            }

            Render(c.Console, series);
            return CliExitCodes.Ok;
        });
        return new Command("quality", "Live quality of the model's logged predictions that got labels.") { show };
    }

    private static void Render(IAnsiConsole console, JsonNode series)
    {
        var metrics = (series["metrics"]?.AsArray() ?? []).Select(m => JsonText.Of(m)).ToList();
        console.MarkupLine($"{JsonText.Cell(series["model"])}: live quality from {JsonText.Time(series["from"])} to {JsonText.Time(series["to"])} UTC in {JsonText.Cell(series["bucket"])} buckets; "
            + $"metrics need {JsonText.Cell(series["minLabels"])} labels in a bucket");
        var versions = (series["versions"]?.AsArray() ?? []).Where(v => v is not null).Select(v => v!).ToList();
        if (versions.Count == 0)
        {
            console.MarkupLine("No predictions logged in this range.");
            return;
        }

        foreach (var v in versions)
        {
            console.MarkupLine($"v{JsonText.Cell(v["version"])} holdout: {Markup.Escape(JsonText.Metrics(v["reference"]))}; {JsonText.Cell(v["logged"])} logged, {JsonText.Cell(v["labeled"])} labeled");
        }

        // Narrow enough for six metrics in 110 columns: the range's dates are in the heading, reasons under the table.
        var table = new Table().AddColumns(new[] { "version", "from", "logged", "labeled", "coverage" }.Concat(metrics).Select(c => new TableColumn(Markup.Escape(c)).NoWrap().PadRight(0)).ToArray());
        var rows = versions.SelectMany(v => (v["buckets"]?.AsArray() ?? []).Where(b => b?["logged"]?.GetValue<long>() > 0).Select(b => (Version: v, Bucket: b!)))
            .OrderBy(r => r.Bucket["from"]!.GetValue<DateTimeOffset>()).ThenBy(r => r.Version["version"]!.GetValue<int>()).ToList();
        foreach (var (v, b) in rows)
        {
            var coverage = b["coverage"]?.GetValue<double?>() is { } share ? $"{share * 100:0.#} %" : "";
            table.AddRow([$"v{JsonText.Cell(v["version"])}", Start(b), JsonText.Cell(b["logged"]), JsonText.Cell(b["labeled"]), coverage,
                .. metrics.Select(m => b["metrics"]?[m] is { } value ? JsonText.Cell(value) : "—")]);
        }

        console.Write(table);
        foreach (var (v, b) in rows.Where(r => r.Bucket["unmeasured"] is not null))
        {
            console.MarkupLine($"— v{JsonText.Cell(v["version"])} from {Start(b)}: {JsonText.Cell(b["unmeasured"])}");
        }
    }

    private static string Start(JsonNode bucket) =>
        bucket["from"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
