using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.Cli.Csv;

namespace Serverless.Cli.Init;

/// <summary>
/// Infers a draft <c>model.json</c> from a sample CSV: each column's type (numeric, categorical, boolean, or text /
/// identifier left out), category sets (most frequent first), numeric ranges, nullability, the missing-value tokens
/// seen, the label and its task, and a binary label's positive class.
/// </summary>
public static partial class SpecDraftBuilder
{
    /// <summary>Label column names tried before falling back to the last column (compared case-insensitively).</summary>
    public static readonly string[] LabelNames = ["label", "target", "y", "class", "outcome", "churn", "churned", "response"];

    /// <summary>In a column mostly numeric, a few distinct non-numeric values are missing-value markers ("unknown", "-").</summary>
    private const double NumericShare = 0.5;

    /// <summary>Non-numeric markers taken as missing tokens from one mostly-numeric column, at most.</summary>
    private const int MaxMarkers = 3;

    public static SpecDraft Build(CsvRecordReader csv, SpecDraftOptions options, long maxRows)
    {
        var header = csv.Read() ?? throw new FormatException("The file is empty: no header line.");
        var profiles = header.Select(h => new ColumnProfile(h.Trim())).ToArray();
        long rows = 0;
        while (rows < maxRows && csv.Read() is { } record)
        {
            if (record.Length != header.Length)
            {
                throw new FormatException($"Line {csv.Line}: {record.Length} fields, the header has {header.Length}.");
            }

            for (var i = 0; i < record.Length; i++) profiles[i].Add(record[i]);
            rows++;
        }

        if (rows == 0) throw new FormatException("The file has a header but no rows.");
        return Decide(profiles, options, rows);
    }

    private static SpecDraft Decide(ColumnProfile[] profiles, SpecDraftOptions options, long rows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var label = ChooseLabel(profiles, options.Label);
        var missing = new SortedSet<string>(StringComparer.Ordinal) { "" };
        var features = new JsonArray();
        var decisions = new List<ColumnDecision>();
        string? idColumn = null;
        var skipped = false;

        foreach (var p in profiles)
        {
            missing.UnionWith(p.MissingTokens);
            if (p == label) continue;
            if (!IsColumnName(p.Name) || !seen.Add(p.Name))
            {
                decisions.Add(new ColumnDecision(p.Name, ColumnKind.Text, false, false, "left out", p.Name.Length == 0 ? "The header cell is empty." : $"'{p.Name}' is not a usable column name or repeats one."));
                skipped = true;
                continue;
            }

            var (kind, note) = Classify(p, options);
            var markers = kind == ColumnKind.Numeric ? Markers(p) : [];
            missing.UnionWith(markers);
            var nullable = p.Missing > 0 || markers.Count > 0;
            switch (kind)
            {
                case ColumnKind.Numeric:
                    features.Add(new JsonObject { ["name"] = p.Name, ["type"] = "numeric", ["nullable"] = nullable ? true : null, ["min"] = options.Ranges ? p.Min : null, ["max"] = options.Ranges ? p.Max : null }.WithoutNulls());
                    note ??= markers.Count > 0 ? $"{string.Join(", ", markers.Select(m => $"'{m}'"))} read as missing (added to missingValues)." : null;
                    decisions.Add(new ColumnDecision(p.Name, kind, false, nullable, $"{Number(p.Min)} … {Number(p.Max)}", note));
                    break;
                case ColumnKind.Boolean:
                    features.Add(new JsonObject { ["name"] = p.Name, ["type"] = "boolean", ["nullable"] = nullable ? true : null }.WithoutNulls());
                    decisions.Add(new ColumnDecision(p.Name, kind, false, nullable, string.Join("/", p.Top(2).Select(kv => kv.Key)), note));
                    break;
                case ColumnKind.Categorical:
                    var top = p.Top(options.TopCategories);
                    var open = p.Distinct > top.Count;
                    features.Add(new JsonObject
                    {
                        ["name"] = p.Name,
                        ["type"] = "categorical",
                        ["nullable"] = nullable ? true : null,
                        ["categories"] = new JsonArray([.. top.Select(kv => (JsonNode)kv.Key)]),
                        ["unknownCategory"] = open ? "allow" : null,
                    }.WithoutNulls());
                    decisions.Add(new ColumnDecision(p.Name, kind, false, nullable, $"{p.Distinct} values: {Preview(top)}",
                        note ?? (open ? $"Top {top.Count} of {p.Distinct} kept; others allowed." : null)));
                    break;
                default:
                    if (kind == ColumnKind.Identifier) idColumn ??= p.Name;
                    decisions.Add(new ColumnDecision(p.Name, kind, false, false, "left out", note));
                    skipped = true;
                    break;
            }
        }

        var (task, positive, labelKind, labelNote) = LabelTask(label, options);
        decisions.Insert(Array.IndexOf(profiles, label), new ColumnDecision(label.Name, labelKind, true, false, $"{task} label, {label.Distinct} values: {Preview(label.Top(5))}", labelNote));
        if (features.Count == 0) throw new FormatException("No column can be a feature: every column other than the label is text, an identifier or empty.");

        var spec = new JsonObject
        {
            ["task"] = task,
            ["label"] = label.Name,
        };
        if (positive is not null) spec["positiveClass"] = positive;
        spec["features"] = features;
        spec["missingValues"] = new JsonArray([.. missing.Select(m => (JsonNode)m)]);
        if (skipped) spec["allowExtraColumns"] = true;
        return new SpecDraft(spec, decisions, label.Name, task, positive, rows, idColumn);
    }

    private static ColumnProfile ChooseLabel(ColumnProfile[] profiles, string? requested)
    {
        if (requested is not null)
        {
            return profiles.FirstOrDefault(p => p.Name == requested)
                ?? throw new FormatException($"--label '{requested}' is not a column; columns: {string.Join(", ", profiles.Select(p => p.Name))}.");
        }

        foreach (var name in LabelNames)
        {
            if (profiles.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } named) return named;
        }

        return profiles[^1];
    }

    private static (ColumnKind Kind, string? Note) Classify(ColumnProfile p, SpecDraftOptions options)
    {
        if (p.Present == 0) return (ColumnKind.Empty, "Every value is missing.");
        if (p.Booleans == p.Present && p.Distinct <= 2) return (ColumnKind.Boolean, null);
        var allDistinct = !p.Repeats && p.Present >= 20;
        if (allDistinct && IdLike().IsMatch(p.Name)) return (ColumnKind.Identifier, "All values differ and the name says id: the row id, not a feature.");
        if (p.Numbers >= NumericShare * p.Present && p.Numbers > 0 && Markers(p).Count <= MaxMarkers) return (ColumnKind.Numeric, null);
        if (p.Overflowed || p.Distinct > options.MaxCategories || allDistinct) return (ColumnKind.Text, $"{(p.Overflowed ? $"over {ColumnProfile.MaxTrackedValues}" : p.Distinct.ToString(CultureInfo.InvariantCulture))} distinct strings: text, not a feature.");
        return (ColumnKind.Categorical, null);
    }

    /// <summary>The non-numeric values of a mostly-numeric column.</summary>
    private static List<string> Markers(ColumnProfile p) =>
        p.Numbers == p.Present ? [] : [.. p.Top(ColumnProfile.MaxTrackedValues).Select(kv => kv.Key).Where(v => !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)).Take(MaxMarkers + 1)];

    private static (string Task, string? Positive, ColumnKind Kind, string? Note) LabelTask(ColumnProfile label, SpecDraftOptions options)
    {
        if (label.Present == 0) throw new FormatException($"The label column '{label.Name}' has no values.");
        var task = options.Task ?? InferTask(label);
        var kind = label.Booleans == label.Present && label.Distinct <= 2 ? ColumnKind.Boolean
            : label.Numbers == label.Present ? ColumnKind.Numeric : ColumnKind.Categorical;
        var note = label.Missing > 0 ? $"{label.Missing} rows have no label; ingest rejects them." : null;
        if (task != "binary") return (task, null, kind, note);
        if (label.Distinct > 2) throw new FormatException($"The label '{label.Name}' has {label.Distinct} values; a binary label has two (use --task multiclass).");
        if (options.PositiveClass is { } given) return (task, given, kind, note);
        if (kind == ColumnKind.Boolean) return (task, null, kind, note);

        // The rarer value is usually the event the model is for (churned, fraud, approved after review).
        var positive = label.Top(2).OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
        return (task, positive, kind, (note is null ? "" : note + " ") + $"positiveClass '{positive}' is the rarer value; check it (--positive-class).");
    }

    private static string InferTask(ColumnProfile label)
    {
        if (label.Distinct <= 2) return "binary";
        if (label.Numbers == label.Present && !(label.AllIntegers && label.Distinct <= 10)) return "regression";
        if (label.Overflowed || label.Distinct > 1000) throw new FormatException($"The label '{label.Name}' has over 1000 distinct non-numeric values: not a class label.");
        return "multiclass";
    }

    private static bool IsColumnName(string name) => name.Length is > 0 and <= 256 && !char.IsWhiteSpace(name[0]) && !char.IsWhiteSpace(name[^1]);

    private static string Preview(IReadOnlyList<KeyValuePair<string, long>> top) =>
        string.Join(", ", top.Take(4).Select(kv => kv.Key)) + (top.Count > 4 ? ", …" : "");

    private static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static JsonObject WithoutNulls(this JsonObject o)
    {
        foreach (var name in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList()) o.Remove(name);
        return o;
    }

    [GeneratedRegex(@"(^|[_\-\s])(id|key|uuid|guid)$|^id[_\-\s]|Id$|ID$", RegexOptions.IgnoreCase)]
    private static partial Regex IdLike();
}
