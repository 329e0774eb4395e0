using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Cli.Csv;
using Serverless.Cli.Init;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary>
/// <c>init CSV [--label col] [--model name] [--put]</c>: infers a draft <c>model.json</c> from a sample, validates it
/// against the spec's JSON Schema and writes it; <c>--put</c> stores it on the platform, which runs its full validation.
/// </summary>
public static class InitCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(GlobalOptions g, CliEnvironment env)
    {
        var file = new Argument<string>("csv") { Description = "A sample of the training data (CSV with a header)." };
        var label = new Option<string>("--label") { Description = "The label column; default a column named label/target/y/class/outcome/churn/churned/response, else the last." };
        var model = new Option<string>("--model", "-m") { Description = "The model's name (for --put)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the spec.", DefaultValueFactory = _ => "model.json" };
        var positive = new Option<string>("--positive-class") { Description = "A binary label's positive class; default the rarer value (unless the labels are true/false, 1/0 or yes/no)." };
        var task = new Option<string>("--task") { Description = "Override the inferred task." };
        task.AcceptOnlyFromAmong("binary", "multiclass", "regression");
        var top = new Option<int>("--top") { Description = "Categories kept per categorical column (most frequent first).", DefaultValueFactory = _ => 20 };
        var sample = new Option<long>("--sample") { Description = "Rows read at most.", DefaultValueFactory = _ => 100_000 };
        var noRanges = new Option<bool>("--no-ranges") { Description = "Leave numeric min/max out (the sample's range would refuse rows outside it)." };
        var force = new Option<bool>("--force") { Description = "Overwrite the output file." };
        var put = new Option<bool>("--put") { Description = "Also store the spec: PUT /api/models/{model} (the server's full validation)." };
        var command = new Command("init", "Draft a model.json from a sample CSV: types, categories, ranges, missing-value tokens, label and task.")
        {
            file, label, model, output, positive, task, top, sample, noRanges, force, put,
        };
        command.SetAction(g, env, async (p, c, ct) =>
        {
            var path = c.Env.PathOf(p.GetValue(file)!);
            if (!File.Exists(path)) throw new CliInputException($"No file '{path}'.");
            if (p.GetValue(put) && p.GetValue(model) is null) throw new CliInputException("--put needs --model.");
            if (p.GetValue(top) < 1) throw new CliInputException("--top must be at least 1.");
            var outPath = c.Env.PathOf(p.GetValue(output)!);
            if (File.Exists(outPath) && !p.GetValue(force)) throw new CliInputException($"'{outPath}' exists; pass --force to overwrite it or -o another path.");

            SpecDraft draft;
            try
            {
                draft = SpecDraftBuilder.Build(CsvRecordReader.Open(path), new SpecDraftOptions(p.GetValue(label), p.GetValue(positive), p.GetValue(task), p.GetValue(top), Ranges: !p.GetValue(noRanges)), p.GetValue(sample));
            }
            catch (FormatException e)
            {
                throw new CliInputException($"{Path.GetFileName(path)}: {e.Message}");
            }

            var problems = SpecSchemaValidator.Validate(draft.Spec);
            await File.WriteAllTextAsync(outPath, draft.Spec.ToJsonString(Indented) + "\n", ct).ConfigureAwait(false);
            JsonNode? stored = null;
            if (problems.Count == 0 && p.GetValue(put))
            {
                stored = await c.Client.PutJsonAsync($"models/{Uri.EscapeDataString(p.GetValue(model)!)}", draft.Spec.ToJsonString(), ct).ConfigureAwait(false);
            }

            if (c.Json)
            {
                c.WriteJson(new JsonObject
                {
                    ["output"] = outPath,
                    ["rows"] = draft.Rows,
                    ["spec"] = draft.Spec.DeepClone(),
                    ["columns"] = new JsonArray([.. draft.Columns.Select(d => (JsonNode)new JsonObject
                    {
                        ["name"] = d.Name,
                        ["kind"] = d.Kind.ToString().ToLowerInvariant(),
                        ["label"] = d.IsLabel,
                        ["nullable"] = d.Nullable,
                        ["summary"] = d.Summary,
                        ["note"] = d.Note,
                    })]),
                    ["idColumn"] = draft.IdColumn,
                    ["schemaProblems"] = new JsonArray([.. problems.Select(x => (JsonNode)x)]),
                    ["stored"] = stored,
                });
            }
            else
            {
                Render(c.Console, draft, outPath, problems, stored);
            }

            return problems.Count == 0 ? CliExitCodes.Ok : CliExitCodes.InvalidInput;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, SpecDraft draft, string outPath, IReadOnlyList<string> problems, JsonNode? stored)
    {
        var table = new Table().AddColumns("column", "as", "nullable", "values", "note");
        foreach (var d in draft.Columns)
        {
            var kind = d.IsLabel ? $"[bold]label[/] ({d.Kind.ToString().ToLowerInvariant()})" : d.Kind is ColumnKind.Text or ColumnKind.Identifier or ColumnKind.Empty ? $"[grey]{d.Kind.ToString().ToLowerInvariant()}[/]" : d.Kind.ToString().ToLowerInvariant();
            table.AddRow(Markup.Escape(d.Name), kind, d.Nullable ? "yes" : "", Markup.Escape(d.Summary), Markup.Escape(d.Note ?? ""));
        }

        console.Write(table);
        console.MarkupLine($"task [bold]{draft.Task}[/], label [bold]{Markup.Escape(draft.Label)}[/]{(draft.PositiveClass is { } pc ? $", positiveClass [bold]{Markup.Escape(pc)}[/]" : "")}; "
            + $"missingValues {Markup.Escape(string.Join(" ", (draft.Spec["missingValues"]?.AsArray() ?? []).Select(v => $"\"{v}\"")))}; {draft.Rows} rows read");
        if (problems.Count == 0)
        {
            console.MarkupLine($"[green]✓[/] Wrote {Markup.Escape(outPath)}: valid against the model spec schema");
        }
        else
        {
            console.MarkupLine($"[red]✗[/] Wrote {Markup.Escape(outPath)}, but it fails the schema:");
            foreach (var problem in problems) console.MarkupLine($"  {Markup.Escape(problem)}");
        }

        if (stored is not null) console.MarkupLine($"[green]✓[/] Stored as {Markup.Escape(stored["model"]?.ToString() ?? "")} (spec sha256 {Markup.Escape(stored["specSha256"]?.ToString()?[..12] ?? "")}…)");
    }
}
