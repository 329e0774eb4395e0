using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.Cli.Csv;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary><c>explain FILE --model M [--row N] [--set name=value]</c>: one row's prediction and its per-feature attributions.</summary>
public static class ExplainCommand
{
    public static Command Create(GlobalOptions g, CliEnvironment env)
    {
        var file = new Argument<string?>("file") { Description = "CSV with a header holding the row to explain (optional with --set).", Arity = ArgumentArity.ZeroOrOne };
        var model = ModelsCommand.ModelOption();
        var row = new Option<int>("--row") { Description = "Which data row of the file (1 = the first after the header).", DefaultValueFactory = _ => 1 };
        var set = new Option<string[]>("--set") { Description = "feature=value, repeatable: sets (or overrides) a value." };
        var command = new Command("explain", "Explain one prediction: the attribution of each input column (exact TreeSHAP; integrated gradients for an MLP).") { file, model, row, set };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var name = p.GetValue(model)!;
            var details = await c.Client.GetAsync($"models/{Uri.EscapeDataString(name)}", ct).ConfigureAwait(false);
            var values = p.GetValue(file) is { } f ? ReadRow(c.Env.PathOf(f), details, p.GetValue(row)) : [];
            foreach (var assignment in p.GetValue(set) ?? [])
            {
                var eq = assignment.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new CliInputException($"--set takes feature=value, not '{assignment}'.");
                values[assignment[..eq].Trim()] = assignment[(eq + 1)..];
            }

            if (values.Count == 0) throw new CliInputException("Give a CSV file (and --row) or --set feature=value.");
            var answer = await c.Client.PostJsonAsync($"models/{Uri.EscapeDataString(name)}/explain", new JsonObject { ["rows"] = new JsonArray(values) }, ct).ConfigureAwait(false);
            if (c.Json)
            {
                c.WriteJson(answer);
                return CliExitCodes.Ok;
            }

            Render(c.Console, answer, values);
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static JsonObject ReadRow(string path, JsonNode details, int row)
    {
        if (!File.Exists(path)) throw new CliInputException($"No file '{path}'.");
        if (row < 1) throw new CliInputException("--row counts from 1.");
        var reader = CsvRecordReader.Open(path);
        try
        {
            var header = reader.Read() ?? throw new CliInputException($"'{path}' is empty.");
            var columns = FeatureColumns.Map(details, header, null);
            for (var i = 1; reader.Read() is { } record; i++)
            {
                if (i == row) return columns.Row(record);
            }
        }
        catch (FormatException e)
        {
            throw new CliInputException(e.Message);
        }

        throw new CliInputException($"'{path}' has fewer than {row} data rows.");
    }

    private static void Render(IAnsiConsole console, JsonNode answer, JsonObject values)
    {
        var prediction = answer["predictions"]?[0];
        var approximate = answer["approximate"]?.GetValue<bool>() == true ? " (approximate)" : "";
        console.MarkupLine($"{JsonText.Cell(answer["model"])} v{JsonText.Cell(answer["version"])}: label {JsonText.Cell(prediction?["label"])}"
            + (prediction?["score"] is { } s ? $", score {JsonText.Cell(s)}" : "")
            + $"; {JsonText.Cell(answer["method"])}{approximate}, link {JsonText.Cell(answer["link"])}");
        foreach (var output in answer["explanations"]?[0]?["outputs"]?.AsArray() ?? [])
        {
            var attributions = (output?["attributions"]?.AsObject() ?? []).Select(kv => (kv.Key, Value: kv.Value?.GetValue<double>() ?? 0)).OrderByDescending(a => Math.Abs(a.Value)).ToList();
            var scale = attributions.Count == 0 ? 1 : Math.Max(1e-12, attributions.Max(a => Math.Abs(a.Value)));
            var title = output?["class"] is { } cls ? $"class {JsonText.Cell(cls)}: " : "";
            console.MarkupLine($"{title}margin {JsonText.Cell(output?["margin"])} = expected {JsonText.Cell(output?["expectedValue"])} + Σ attributions");
            var table = new Table().AddColumns("feature", "value", "attribution", "");
            foreach (var (feature, value) in attributions)
            {
                var width = (int)Math.Round(20 * Math.Abs(value) / scale);
                var bar = value >= 0 ? $"[red]{new string('█', width)}[/]" : $"[blue]{new string('█', width)}[/]";
                table.AddRow(Markup.Escape(feature), JsonText.Cell(values[feature]), value.ToString("+0.0000;-0.0000;0", CultureInfo.InvariantCulture), bar);
            }

            console.Write(table);
        }
    }
}
