using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Scoring;

/// <summary>
/// The predict parser before #11 (a <see cref="JsonDocument"/>, then a walk over its elements), kept as the reference
/// the one-pass <see cref="PredictionRequestParser"/> is compared with, row for row and error for error.
/// Turns the <c>rows</c> array of a predict request into input columns for a model version, collecting every
/// field error instead of stopping at the first. Values are judged by the inputs' <see cref="ColumnContract"/>s,
/// the same rules ingest applies: JSON strings are read like CSV cells (trimmed; missing-value tokens; numbers
/// and yes/no as text), JSON numbers and booleans as typed values.
/// </summary>
internal static class JsonElementRequestParser
{
    private const int MaxErrors = 1000;

    public static TabularDataset? Parse(JsonElement rows, PredictionInputSchema schema, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(errors);
        var features = schema.Features;
        var contracts = schema.Contracts;
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
                errors.Add(new FieldError(i, "", "Each row must be a JSON object of feature values.", ContractRules.UnparseableRow));
                i++;
                continue;
            }

            seen.Clear();
            foreach (var prop in row.EnumerateObject())
            {
                var name = NameOf(prop);
                if (!schema.Index.TryGetValue(name, out var f))
                {
                    if (!schema.AllowExtraFields) errors.Add(new FieldError(i, name, schema.UnknownFieldMessage, ContractRules.ExtraColumn));
                    continue;
                }

                if (seen[f])
                {
                    // JSON leaves duplicate names undefined and System.Text.Json keeps both: refuse rather than pick one.
                    errors.Add(new FieldError(i, name, "The field appears more than once in this row.", ContractRules.DuplicateColumn));
                    continue;
                }

                seen[f] = true;
                Read(contracts[f], prop.Value, i, floats[f], texts[f], errors);
            }

            for (var f = 0; f < features.Length; f++)
            {
                if (seen[f]) continue;
                if (!features[f].Nullable) errors.Add(new FieldError(i, features[f].Name, "Required field is missing (the input is not nullable).", ContractRules.MissingColumn));
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

    private static void Read(ColumnContract c, JsonElement v, int row, float[]? floats, string?[]? texts, List<FieldError> errors)
    {
        ValueVerdict verdict;
        float number;
        string? category = null;
        switch (v.ValueKind)
        {
            case JsonValueKind.Null:
                verdict = c.CheckMissing();
                number = float.NaN;
                break;
            case JsonValueKind.Number:
                verdict = v.TryGetDouble(out var d) ? c.CheckNumber(d, out number) : Refuse(out number);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                verdict = c.CheckBoolean(v.ValueKind == JsonValueKind.True, out number);
                break;
            case JsonValueKind.String:
                if (!TryGetText(v, out var text))
                {
                    errors.Add(new FieldError(row, c.Name, "The value is not valid UTF-8 text.", ContractRules.NotUtf8));
                    return;
                }

                verdict = c.CheckText(text, out number, out category);
                if (verdict == ValueVerdict.Valid && c.Type == FeatureType.Categorical)
                {
                    category ??= text.Trim();
                }

                break;
            default:
                verdict = Refuse(out number);
                break;
        }

        switch (verdict)
        {
            case ValueVerdict.Valid:
                if (texts is not null) texts[row] = category;
                else floats![row] = number;
                break;
            case ValueVerdict.Missing:
                SetMissing(row, floats, texts);
                break;
            default:
                var message = c.MessageFor(verdict);
                errors.Add(new FieldError(row, c.Name, verdict == ValueVerdict.TypeError ? $"{message} Got {Describe(v)}." : message, ColumnContract.RuleOf(verdict)));
                break;
        }
    }

    private static ValueVerdict Refuse(out float number)
    {
        number = float.NaN;
        return ValueVerdict.TypeError;
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
        JsonValueKind.String => $"the string \"{Truncate(v.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Truncate(v.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => v.ValueKind.ToString(),
    };

    private static string Truncate(string s) => s.Length > 50 ? s[..50] + "…" : s;
}
