using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Local.Demo;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>The churn sample, smaller, and its spec with tweaks per test.</summary>
internal static class Samples
{
    public static string SpecJson(Action<JsonObject>? tweak = null)
    {
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(Azurite.FindRoot(), "samples", "churn", "model.json")))!.AsObject();
        // Fewer trees: the tests check behaviour, not accuracy.
        spec["trainer"]!["hyperparameters"]!["numberOfTrees"] = 40;

        // Small samples score lower than the demo's 50k rows; the gates stay, at a bar small data clears.
        spec["gates"]!["thresholds"] = JsonNode.Parse("""[{ "metric": "auc", "min": 0.65 }, { "metric": "logLoss", "max": 0.7 }]""");
        tweak?.Invoke(spec);
        return spec.ToJsonString();
    }

    /// <summary>A spec whose champion comparison always passes, so every run is promoted.</summary>
    public static string AlwaysPromoteSpecJson(Action<JsonObject>? tweak = null) => SpecJson(s =>
    {
        s["gates"]!["comparison"]!["minImprovement"] = -1.0;
        tweak?.Invoke(s);
    });

    public static byte[] Csv(int rows, int seed = 7) => Encoding.UTF8.GetBytes(ChurnSample.GenerateCsv(rows, seed));

    /// <summary>A churn CSV's rows as predict request rows (label and id columns dropped, typed as the spec expects).</summary>
    public static List<Dictionary<string, object?>> PredictRows(byte[] csv) => ChurnRows.Parse(Encoding.UTF8.GetString(csv));

    public static string RowsJson(IEnumerable<IReadOnlyDictionary<string, object?>> rows) =>
        JsonSerializer.Serialize(new { rows });
}
