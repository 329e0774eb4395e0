using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Local.Demo;
using Serverless.Tests.Shared;

namespace Serverless.Console.Tests;

/// <summary>The churn sample as files to upload through the browser, and as predict rows for the API.</summary>
internal static class ConsoleSample
{
    /// <summary>The sample spec, smaller and always promoting; drift checked from 100 rows, no automatic retraining.</summary>
    public static string SpecJson()
    {
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(Azurite.FindRoot(), "samples", "churn", "model.json")))!.AsObject();
        spec.Remove("$schema");
        spec["trainer"]!["hyperparameters"]!["numberOfTrees"] = 40;
        spec["gates"]!["thresholds"] = JsonNode.Parse("""[{ "metric": "auc", "min": 0.65 }]""");
        spec["gates"]!["comparison"]!["minImprovement"] = -1.0;
        spec["monitoring"] = JsonNode.Parse("""{ "retrainOnDrift": false, "drift": { "minWindowRows": 100 } }""");
        return spec.ToJsonString();
    }

    public static string Csv(int rows, int seed) => ChurnSample.GenerateCsv(rows, seed);

    /// <summary>This test process's upload files; <see cref="ConsoleHost"/> deletes it at the end.</summary>
    public static string TempRoot { get; } = Path.Combine(Path.GetTempPath(), "console-tests-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Writes <paramref name="content"/> under <see cref="TempRoot"/> and returns the path (the browser uploads files by path).</summary>
    public static string WriteTemp(string name, string content)
    {
        var dir = Directory.CreateDirectory(Path.Combine(TempRoot, Guid.NewGuid().ToString("N")[..8])).FullName;
        var path = Path.Combine(dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Production after a shift: pricier plans and everyone on two-year contracts.</summary>
    public static string Shifted(string csv) => string.Join('\n', csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((line, i) =>
    {
        if (i == 0) return line;
        var cells = line.Split(',');
        cells[2] = (double.Parse(cells[2], CultureInfo.InvariantCulture) + 60).ToString(CultureInfo.InvariantCulture);
        cells[4] = "two-year";
        return string.Join(',', cells);
    })) + "\n";

    /// <summary>The first <paramref name="rows"/> data rows with <paramref name="contract"/> as their contract (the spec lists three).</summary>
    public static string WithContract(string csv, int rows, string contract) => string.Join('\n', csv.Split('\n').Select((line, i) =>
    {
        if (i == 0 || i > rows || line.Length == 0) return line;
        var cells = line.Split(',');
        cells[4] = contract;
        return string.Join(',', cells);
    }));

    /// <summary>CSV rows as predict rows (id and label dropped, typed as the spec expects).</summary>
    public static List<Dictionary<string, object?>> Rows(string csv) => ChurnRows.Parse(csv);

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
