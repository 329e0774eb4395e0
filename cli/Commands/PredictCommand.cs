using System.CommandLine;
using System.Text.Json.Nodes;
using Serverless.Cli.Csv;
using Serverless.Cli.Output;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary>
/// <c>predict FILE --model M [-o OUT] [--batch N]</c>: CSV in, CSV out. Each output row keeps the input's id column
/// and adds the label, score or class probabilities, the version that answered and the prediction id; a row the
/// server refused is kept with its errors in the <c>error</c> column.
/// </summary>
public static class PredictCommand
{
    /// <summary>The predict route's row limit (docs/api.md).</summary>
    public const int MaxBatch = 10_000;

    public static Command Create(GlobalOptions g, CliEnvironment env)
    {
        var file = new Argument<string>("file") { Description = "CSV with a header; the model's feature columns are sent, others ignored." };
        var model = ModelsCommand.ModelOption();
        var output = new Option<string>("--output", "-o") { Description = "Where to write the scored CSV; default stdout." };
        var batch = new Option<int>("--batch") { Description = $"Rows per request (1–{MaxBatch}).", DefaultValueFactory = _ => 1000 };
        var id = new Option<string>("--id-column") { Description = "The column kept as each output row's id; default the first column that is neither a feature nor the label, else the row number." };
        var command = new Command("predict", "Score a CSV file in batches; bad rows are reported in an error column, never dropped (exit 3 when any).") { file, model, output, batch, id };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var path = c.Env.PathOf(p.GetValue(file)!);
            if (!File.Exists(path)) throw new CliInputException($"No file '{path}'.");
            var size = p.GetValue(batch);
            if (size is < 1 or > MaxBatch) throw new CliInputException($"--batch must be between 1 and {MaxBatch}.");
            var name = p.GetValue(model)!;
            var details = await c.Client.GetAsync($"models/{Uri.EscapeDataString(name)}", ct).ConfigureAwait(false);

            var reader = CsvRecordReader.Open(path);
            var header = reader.Read() ?? throw new CliInputException($"'{path}' is empty.");
            var columns = FeatureColumns.Map(details, header, p.GetValue(id));
            var predictor = new BatchPredictor(c.Client, name, columns);
            var total = CountRecords(path);
            var scored = new List<ScoredRow>(total);
            var outPath = p.GetValue(output) is { } o ? c.Env.PathOf(o) : null;

            async Task ScoreAll(Action<long> advance)
            {
                var pending = new List<(string[], long, long)>(size);
                long number = 0;
                while (true)
                {
                    var record = ReadRecord(reader);
                    if (record is not null) pending.Add((record, reader.Line, ++number));
                    if (pending.Count == size || (record is null && pending.Count > 0))
                    {
                        scored.AddRange(await predictor.ScoreAsync(pending, ct).ConfigureAwait(false));
                        advance(pending.Count);
                        pending.Clear();
                    }

                    if (record is null) return;
                }
            }

            // The bar only when the CSV goes to a file: on stdout it would mix with the rows.
            if (outPath is null || c.Json)
            {
                await ScoreAll(_ => { }).ConfigureAwait(false);
            }
            else
            {
                await c.Console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"predict {total} rows", maxValue: Math.Max(1, total));
                        await ScoreAll(n => task.Increment(n)).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }

            if (outPath is null)
            {
                Write(c.Env.Out, columns.IdName, scored);
            }
            else
            {
                await using var writer = new StreamWriter(outPath);
                Write(writer, columns.IdName, scored);
            }

            var rejected = scored.Where(r => r.Error is not null).ToList();
            if (c.Json)
            {
                c.WriteJson(new JsonObject
                {
                    ["model"] = name,
                    ["rows"] = scored.Count,
                    ["scored"] = scored.Count - rejected.Count,
                    ["versions"] = new JsonArray([.. scored.Where(r => r.Version is not null).Select(r => r.Version!.Value).Distinct().Order().Select(v => (JsonNode)v)]),
                    ["rejected"] = new JsonArray([.. rejected.Select(r => (JsonNode)new JsonObject { ["id"] = r.Id, ["line"] = r.Line, ["error"] = r.Error })]),
                    ["output"] = outPath,
                });
            }
            else
            {
                // With the CSV on stdout the summary goes to stderr.
                var versions = string.Join(", ", scored.Where(r => r.Version is not null).Select(r => r.Version!.Value).Distinct().Order());
                var summary = $"{scored.Count - rejected.Count} of {scored.Count} rows scored by {name} v{versions}{(outPath is null ? "" : $" → {outPath}")}";
                var lines = new[] { summary }.Concat(rejected.Take(10).Select(r => $"  rejected line {r.Line} ({columns.IdName} {r.Id}): {r.Error}"))
                    .Concat(rejected.Count > 10 ? [$"  … and {rejected.Count - 10} more (see the error column)"] : []);
                foreach (var line in lines)
                {
                    if (outPath is null) await c.Env.Error.WriteLineAsync(line).ConfigureAwait(false);
                    else c.Console.WriteLine(line);
                }
            }

            return rejected.Count > 0 ? CliExitCodes.Unsuccessful : CliExitCodes.Ok;
        });
        return command;
    }

    private static string[]? ReadRecord(CsvRecordReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (FormatException e)
        {
            throw new CliInputException(e.Message);
        }
    }

    private static int CountRecords(string path)
    {
        var reader = CsvRecordReader.Open(path);
        var n = -1;
        try
        {
            while (reader.Read() is not null) n++;
        }
        catch (FormatException e)
        {
            throw new CliInputException(e.Message);
        }

        return Math.Max(0, n);
    }

    /// <summary>The id column, then label, score and one p_{class} column per class seen, version, prediction id and error.</summary>
    private static void Write(TextWriter writer, string idName, IReadOnlyList<ScoredRow> rows)
    {
        var classes = rows.SelectMany(r => (r.Prediction?["probabilities"]?.AsObject() ?? []).Select(kv => kv.Key)).Distinct().Order(StringComparer.Ordinal).ToList();
        var hasLabel = rows.Any(r => r.Prediction?["label"] is not null);
        var hasScore = rows.Any(r => r.Prediction?["score"] is not null);
        CsvRecordWriter.Write(writer, [idName, .. hasLabel ? ["label"] : Array.Empty<string>(), .. hasScore ? ["score"] : Array.Empty<string>(), .. classes.Select(k => "p_" + k), "version", "predictionId", "error"]);
        foreach (var r in rows)
        {
            var p = r.Prediction;
            CsvRecordWriter.Write(writer,
            [
                r.Id,
                .. hasLabel ? [JsonText.Of(p?["label"])] : Array.Empty<string>(),
                .. hasScore ? [p?["score"] is { } s ? s.GetValue<double>().ToString("R", System.Globalization.CultureInfo.InvariantCulture) : ""] : Array.Empty<string>(),
                .. classes.Select(k => p?["probabilities"]?[k] is { } v ? v.GetValue<double>().ToString("R", System.Globalization.CultureInfo.InvariantCulture) : ""),
                r.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                JsonText.Of(p?["id"]),
                r.Error ?? "",
            ]);
        }
    }
}
