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

    public static TabularDataset? Parse(JsonElement rows, PredictionInputSchema schema, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(errors);
        var features = schema.Features;
        var n = rows.GetArrayLength();
        var floats = new float[features.Length][];
        var texts = new string?[features.Length][];
        for (var f = 0; f < features.Length; f++)
        {
            if (features[f].Type == FeatureType.Categorical) texts[f] = new string?[n];
            else floats[f] = new float[n];
        }

        Span<bool> seen = features.Length <= 256 ? stackalloc bool[features.Length] : new bool[features.Length];
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
                var name = NameOf(prop);
                if (!schema.Index.TryGetValue(name, out var f))
                {
                    errors.Add(new FieldError(i, name, schema.UnknownFieldMessage));
                    continue;
                }

                seen[f] = true;
                Read(features[f], prop.Value, i, floats[f], texts[f], errors);
            }

            for (var f = 0; f < features.Length; f++)
            {
                if (seen[f]) continue;
                if (!features[f].Nullable) errors.Add(new FieldError(i, features[f].Name, "Required field is missing."));
                else SetMissing(i, floats[f], texts[f]);
            }

            i++;
        }

        if (errors.Count > 0) return null;
        var columns = new DataColumn[features.Length];
        for (var f = 0; f < features.Length; f++)
        {
            columns[f] = features[f].Type == FeatureType.Categorical ? DataColumn.Text(features[f].Name, texts[f]) : DataColumn.Float(features[f].Name, floats[f]);
        }

        return new TabularDataset(columns);
    }

    private static void Read(FeatureSpec f, JsonElement v, int row, float[]? floats, string?[]? texts, List<FieldError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            if (f.Nullable) SetMissing(row, floats, texts);
            else errors.Add(new FieldError(row, f.Name, "null is not allowed for this field."));
            return;
        }

        switch (f.Type)
        {
            case FeatureType.Numeric:
                if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) && Math.Abs(d) <= float.MaxValue)
                    floats![row] = (float)d;
                else
                    errors.Add(new FieldError(row, f.Name, $"Expected a finite number, got {Describe(v)}."));
                break;
            case FeatureType.Boolean:
                if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    floats![row] = v.ValueKind == JsonValueKind.True ? 1f : 0f;
                else if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var b) && b is 0 or 1)
                    floats![row] = b;
                else
                    errors.Add(new FieldError(row, f.Name, $"Expected true or false, got {Describe(v)}."));
                break;
            case FeatureType.Categorical:
                if (v.ValueKind != JsonValueKind.String)
                    errors.Add(new FieldError(row, f.Name, $"Expected a string category, got {Describe(v)}."));
                else if (TryGetText(v, out var text))
                    texts![row] = text.Trim();
                else
                    errors.Add(new FieldError(row, f.Name, "The value is not valid UTF-8 text."));
                break;
        }
    }

    // The JSON reader passes invalid UTF-8 inside strings through; turning it into a string throws. That is the
    // caller's bad input (a field error), not a server fault.
    private static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return "(invalid UTF-8)";
        }
    }

    private static bool TryGetText(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static void SetMissing(int row, float[]? floats, string?[]? texts)
    {
        if (texts is not null) texts[row] = null;
        else floats![row] = float.NaN;
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
