using System.Text.Json.Nodes;
using Serverless.Cli.Output;

namespace Serverless.Cli.Commands;

/// <summary>
/// Maps a CSV's columns onto a served model's features (from <c>GET /api/models/{model}</c>'s spec) and turns a record
/// into a predict row: each feature's cell as a string, read by the server as it reads a CSV cell.
/// </summary>
public sealed class FeatureColumns
{
    private readonly (string Name, int Index)[] _present;

    private FeatureColumns((string Name, int Index)[] present, int idIndex, string idName)
    {
        _present = present;
        IdIndex = idIndex;
        IdName = idName;
    }

    /// <summary>The column kept as each output row's id; -1: the 1-based row number.</summary>
    public int IdIndex { get; }

    public string IdName { get; }

    public static FeatureColumns Map(JsonNode model, string[] header, string? idColumn)
    {
        var spec = model["spec"] ?? throw new CliInputException($"Model '{JsonText.Of(model["model"])}' has no valid spec to read its features from.");
        var features = (spec["features"]?.AsArray() ?? []).Select(f => (Name: JsonText.Of(f?["name"]), Nullable: f?["nullable"]?.GetValue<bool>() == true)).ToList();
        var index = header.Select((h, i) => (h: h.Trim(), i)).GroupBy(x => x.h).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var missing = features.Where(f => !f.Nullable && !index.ContainsKey(f.Name)).Select(f => f.Name).ToList();
        if (missing.Count > 0) throw new CliInputException($"The file lacks the model's required feature columns: {string.Join(", ", missing)}.");

        int idIndex;
        if (idColumn is not null)
        {
            idIndex = index.TryGetValue(idColumn, out var i) ? i : throw new CliInputException($"--id-column '{idColumn}' is not a column of the file.");
        }
        else
        {
            // The first column that is neither a feature nor the label: customer_id in the churn sample.
            var label = JsonText.Of(spec["label"]);
            var featureNames = features.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            idIndex = Array.FindIndex(header, h => !featureNames.Contains(h.Trim()) && h.Trim() != label);
        }

        return new FeatureColumns([.. features.Where(f => index.ContainsKey(f.Name)).Select(f => (f.Name, index[f.Name]))], idIndex, idIndex < 0 ? "row" : header[idIndex].Trim());
    }

    public JsonObject Row(string[] record)
    {
        var row = new JsonObject();
        foreach (var (name, i) in _present)
        {
            row[name] = i < record.Length ? record[i] : null;
        }

        return row;
    }

    public string IdOf(string[] record, long rowNumber) =>
        IdIndex >= 0 && IdIndex < record.Length ? record[IdIndex] : rowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
