using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Scoring;

/// <summary>
/// Turns the <c>rows</c> array of a predict request into input columns for a model version, collecting every
/// field error instead of stopping at the first.
/// </summary>
public static class PredictionRequestParser
{
    private const int MaxErrors = 1000;

    public static TabularDataset? Parse(JsonElement rows, IReadOnlyList<FeatureSpec> inputs, List<FieldError> errors)
    {
        var n = rows.GetArrayLength();
        var floats = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var f in inputs)
        {
            if (f.Type == FeatureType.Categorical) texts[f.Name] = new string?[n];
            else floats[f.Name] = new float[n];
        }

        var byName = inputs.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (errors.Count >= MaxErrors) break;
            if (row.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(i, "", "Each row must be a JSON object of feature values."));
                i++;
                continue;
            }

            seen.Clear();
            foreach (var prop in row.EnumerateObject())
            {
                if (!byName.TryGetValue(prop.Name, out var feature))
                {
                    errors.Add(new FieldError(i, prop.Name, "Unknown field; the model's inputs are: " + string.Join(", ", inputs.Select(f => f.Name)) + "."));
                    continue;
                }

                seen.Add(prop.Name);
                Read(feature, prop.Value, i, floats, texts, errors);
            }

            foreach (var f in inputs)
            {
                if (seen.Contains(f.Name)) continue;
                if (!f.Nullable) errors.Add(new FieldError(i, f.Name, "Required field is missing."));
                else SetMissing(f, i, floats, texts);
            }

            i++;
        }

        if (errors.Count > 0) return null;
        return new TabularDataset(inputs
            .Select(f => f.Type == FeatureType.Categorical ? DataColumn.Text(f.Name, texts[f.Name]) : DataColumn.Float(f.Name, floats[f.Name]))
            .ToList());
    }

    private static void Read(FeatureSpec f, JsonElement v, int row, Dictionary<string, float[]> floats, Dictionary<string, string?[]> texts, List<FieldError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            if (f.Nullable) SetMissing(f, row, floats, texts);
            else errors.Add(new FieldError(row, f.Name, "null is not allowed for this field."));
            return;
        }

        switch (f.Type)
        {
            case FeatureType.Numeric:
                if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) && Math.Abs(d) <= float.MaxValue)
                    floats[f.Name][row] = (float)d;
                else
                    errors.Add(new FieldError(row, f.Name, $"Expected a finite number, got {Describe(v)}."));
                break;
            case FeatureType.Boolean:
                if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    floats[f.Name][row] = v.ValueKind == JsonValueKind.True ? 1f : 0f;
                else if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var b) && b is 0 or 1)
                    floats[f.Name][row] = b;
                else
                    errors.Add(new FieldError(row, f.Name, $"Expected true or false, got {Describe(v)}."));
                break;
            case FeatureType.Categorical:
                if (v.ValueKind == JsonValueKind.String)
                    texts[f.Name][row] = v.GetString()!.Trim();
                else
                    errors.Add(new FieldError(row, f.Name, $"Expected a string category, got {Describe(v)}."));
                break;
        }
    }

    private static void SetMissing(FeatureSpec f, int row, Dictionary<string, float[]> floats, Dictionary<string, string?[]> texts)
    {
        if (f.Type == FeatureType.Categorical) texts[f.Name][row] = null;
        else floats[f.Name][row] = float.NaN;
    }

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => v.ValueKind.ToString(),
    };
}
