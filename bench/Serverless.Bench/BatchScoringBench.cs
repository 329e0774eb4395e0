using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core;
using Serverless.Core.BatchScoring;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.Bench;

/// <summary>
/// Rows per second of a generated file (<see cref="SyntheticDataset"/>, 1M rows by default) through the batch
/// orchestration on the local host (plan → chunk activities → assemble, Azurite as storage), against the ceiling of
/// <see cref="ModelServer.Predict"/> in process on the same rows in the same ORT slices (parsing not timed), with the
/// champion the pipeline trained on a 20,000-row sample of the same generator. <c>-- batch [ROWS [DIR]]</c>.
/// </summary>
internal static class BatchScoringBench
{
    public const string Area = "batch";
    private const string Model = "batch-bench";

    public static async Task<IReadOnlyList<Measurement>> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var dir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "batch-bench");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"score-{rows}.csv");
        if (!File.Exists(file)) SyntheticDataset.Write(file, rows, seed: 21);
        var sample = Path.Combine(dir, "train-20000.csv");
        if (!File.Exists(sample)) SyntheticDataset.Write(sample, 20_000, seed: 7);

        await using var platform = await BenchPlatform.StartAsync();
        await platform.PutSpecAsync(Model, SyntheticDataset.Spec);
        var (run, _) = await platform.DropAndWaitAsync(Model, await File.ReadAllBytesAsync(sample), TimeSpan.FromMinutes(5));
        if (run.Result?.Promoted != true) throw new InvalidOperationException($"The training run did not promote: {run.Status} {run.Error}");

        var storage = platform.Services.GetRequiredService<PlatformStorage>();
        var input = $"{Model}/files/score-{rows}.csv";
        await storage.Blobs.GetBlobContainerClient(BatchLayout.Container).GetBlobClient(input).UploadAsync(file, overwrite: true);

        var sw = Stopwatch.StartNew();
        using var start = await platform.Http.PostAsJsonAsync($"/api/models/{Model}/batch", new { input, idColumn = "id" });
        start.EnsureSuccessStatusCode();
        var statusUrl = (string)(await start.Content.ReadFromJsonAsync<JsonObject>())!["statusUrl"]!;
        JsonObject status;
        while (true)
        {
            status = (await platform.Http.GetFromJsonAsync<JsonObject>(statusUrl))!;
            if ((string?)status["status"] is "Completed" or "Failed" or "Terminated") break;
            await Task.Delay(200);
        }

        var batchSeconds = sw.Elapsed.TotalSeconds;
        var summary = status["summary"] ?? throw new InvalidOperationException($"Batch ended {(string?)status["status"]}: {(string?)status["failure"]}");
        var rowsOut = (long)summary["rowsOut"]!;
        var rowsWithErrors = (long)summary["rowsWithErrors"]!;

        var server = platform.Services.GetRequiredService<ModelServer>();
        var champion = (await platform.Services.GetRequiredService<ModelRegistry>().GetAliasesAsync(Model, default)).Get(ModelAliases.Champion)!.Value;
        var ceilingSeconds = PredictSeconds(server, await server.GetVersionAsync(Model, champion, default), file, platform.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BatchScoringOptions>>().Value.ScoreRows);

        var batchRate = rows / batchSeconds;
        var ceilingRate = rowsOut / ceilingSeconds;
        return
        [
            new(Area, $"{rows:N0}-row CSV through the batch orchestration (POST → Completed)", batchRate, " rows/s",
                Note: $"{batchSeconds:F1} s; {rowsOut:N0} scored + {rowsWithErrors:N0} in the errors file = {(long)summary["rowsIn"]!:N0} in"),
            new(Area, "ModelServer.Predict in process on the same rows (ceiling)", ceilingRate, " rows/s", Note: $"{ceilingSeconds:F1} s of Predict, parsing not timed"),
            new(Area, "batch ÷ ceiling", batchRate / ceilingRate, "×", Note: "what splitting, storage round trips and CSV text cost on top of ORT"),
        ];
    }

    /// <summary>Predict time only, over the file's valid rows in slices of <paramref name="sliceRows"/>.</summary>
    private static double PredictSeconds(ModelServer server, LoadedModel model, string file, int sliceRows)
    {
        var features = model.Card.Inputs;
        var contracts = features.Select(f => new ColumnContract(f, ModelSpec.DefaultMissingValues)).ToArray();
        using var stream = File.OpenRead(file);
        using var reader = new CsvReader(stream);
        reader.Read();
        var header = reader.ToArray();
        var columnOf = features.Select(f => Array.IndexOf(header, f.Name)).ToArray();
        var floats = features.Select(f => f.Type == FeatureType.Categorical ? null : new float[sliceRows]).ToArray();
        var texts = features.Select(f => f.Type == FeatureType.Categorical ? new string?[sliceRows] : null).ToArray();
        var n = 0;
        var predict = new Stopwatch();
        while (reader.Read())
        {
            var ok = reader.FieldCount == header.Length;
            for (var f = 0; ok && f < features.Count; f++)
            {
                var cell = columnOf[f] >= 0 ? reader[columnOf[f]] : [];
                switch (contracts[f].CheckText(cell, out var number, out var category))
                {
                    case ValueVerdict.Valid:
                        if (texts[f] is { } t) t[n] = category ?? cell.Trim().ToString();
                        else floats[f]![n] = number;
                        break;
                    case ValueVerdict.Missing:
                        if (texts[f] is { } tm) tm[n] = null;
                        else floats[f]![n] = float.NaN;
                        break;
                    default:
                        ok = false;
                        break;
                }
            }

            if (ok && ++n == sliceRows) Score(n);
        }

        Score(n);
        return predict.Elapsed.TotalSeconds;

        void Score(int count)
        {
            if (count == 0) return;
            var table = new TabularDataset(features.Select((f, i) => texts[i] is { } t ? DataColumn.Text(f.Name, t[..count]) : DataColumn.Float(f.Name, floats[i]![..count])).ToList());
            predict.Start();
            server.Predict(model, table);
            predict.Stop();
            n = 0;
        }
    }
}
