using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.Core.Specs;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// Reads and checks one feature view definition: JSON shape (unknown keys, kinds, enum names, nulls) with the spec's
/// shape pass, then the value rules below. Every problem is listed with its JSON path; none throws.
/// </summary>
public static partial class FeatureViewValidator
{
    public const string NameRule = FeatureViewReference.ViewNameRule;

    public const int MaxEntities = 4;

    public const int MaxFeatures = 200;

    public const int MaxColumnNameLength = 128;

    /// <summary>Ten years: longer is a mistake, not a policy.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(3650);

    public static bool IsValidName(string? name) => FeatureViewReference.IsValidViewName(name);

    public static FeatureViewParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = PlatformJson.Options.MaxDepth });
        }
        catch (JsonException e)
        {
            return new(null, [new SpecProblem("$", e.Message.Split('\n')[0])]);
        }

        using (document)
        {
            var (shape, sanitized) = ModelSpecShape.Check(document.RootElement, typeof(FeatureView));
            var problems = new List<SpecProblem>(shape);
            // A bad or missing ttl is reported above; a stand-in lets the value rules still run on the rest.
            if (sanitized is JsonObject o && o["ttl"] is null) o["ttl"] = "1.00:00:00";
            FeatureView? view = null;
            try
            {
                view = sanitized?.Deserialize<FeatureView>(PlatformJson.Options);
            }
            catch (JsonException e)
            {
                if (shape.Count == 0) problems.Add(new SpecProblem("$", e.Message.Split('\n')[0]));
            }

            if (view is not null)
            {
                problems.AddRange(Validate(view).Where(v => !shape.Any(s => v.Path == s.Path || v.Path.StartsWith(s.Path + ".", StringComparison.Ordinal) || v.Path.StartsWith(s.Path + "[", StringComparison.Ordinal))));
            }

            return new(shape.Count == 0 ? view : null, problems);
        }
    }

    /// <summary>The value rules on a deserialized view.</summary>
    public static IReadOnlyList<SpecProblem> Validate(FeatureView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var p = new List<SpecProblem>();
        if (view.Name is null || !IsValidName(view.Name))
        {
            p.Add(new("$.name", $"Invalid feature view name '{view.Name}': {NameRule}."));
        }

        if (view.Version is { } version && !VersionPattern().IsMatch(version))
        {
            p.Add(new("$.version", $"Invalid version '{version}': 1–32 characters of letters, digits, '.', '_' and '-', starting with a letter or digit."));
        }

        if (string.IsNullOrWhiteSpace(view.Owner)) p.Add(new("$.owner", "The owner must not be empty."));

        var columns = new HashSet<string>(StringComparer.Ordinal);
        var entities = view.Entities ?? [];
        if (entities.Count is 0 or > MaxEntities)
        {
            p.Add(new("$.entities", $"List 1 to {MaxEntities} entity key columns; got {entities.Count}."));
        }

        for (var i = 0; i < entities.Count; i++)
        {
            Column(entities[i], $"$.entities[{i}]", columns, p);
        }

        var timestamp = view.Source?.TimestampColumn;
        if (view.Source is { } source)
        {
            if (source.Dataset is null || !ModelName.IsValidModelName(source.Dataset))
            {
                p.Add(new("$.source.dataset", $"Invalid dataset name '{source.Dataset}': {ModelName.Rule}."));
            }

            Column(timestamp, "$.source.timestampColumn", columns, p);
        }

        var features = view.Features ?? [];
        if (features.Count is 0 or > MaxFeatures)
        {
            p.Add(new("$.features", $"List 1 to {MaxFeatures} features; got {features.Count}."));
        }

        for (var i = 0; i < features.Count; i++)
        {
            if (features[i] is null)
            {
                p.Add(new($"$.features[{i}]", "Must be an object, not null."));
                continue;
            }

            Column(features[i].Name, $"$.features[{i}].name", columns, p);
            if (!Enum.IsDefined(features[i].Type))
            {
                p.Add(new($"$.features[{i}].type", $"type must be one of {string.Join(", ", ModelSpecShape.EnumNames(typeof(FeatureType)))}."));
            }
        }

        if (view.Ttl <= TimeSpan.Zero || view.Ttl > MaxTtl)
        {
            p.Add(new("$.ttl", $"The TTL must be more than zero and at most {MaxTtl.TotalDays:0} days; got {view.Ttl:c}."));
        }

        var tags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (view.Tags ?? []).Count; i++)
        {
            var tag = view.Tags![i];
            if (tag is null || !TagPattern().IsMatch(tag)) p.Add(new($"$.tags[{i}]", $"Invalid tag '{tag}': 1–32 characters of lowercase letters, digits, '_' and '-'."));
            else if (!tags.Add(tag)) p.Add(new($"$.tags[{i}]", $"Duplicate tag '{tag}'."));
        }

        return p;
    }

    /// <summary>Entity keys, the timestamp and the features share one namespace: the columns of a joined row.</summary>
    private static void Column(string? name, string path, HashSet<string> seen, List<SpecProblem> p)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxColumnNameLength || name.Any(char.IsControl))
        {
            p.Add(new(path, $"A column name must be 1–{MaxColumnNameLength} characters without control characters."));
        }
        else if (!seen.Add(name))
        {
            p.Add(new(path, $"Column '{name}' is named twice (entity keys, the timestamp column and features share one row)."));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
