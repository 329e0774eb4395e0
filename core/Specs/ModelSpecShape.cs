using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Serverless.Core.Specs;

/// <summary>
/// The JSON-level pass over <c>model.json</c>: every key known, every value of the right JSON kind, enums among their
/// names, no nulls where the spec has no null. It reads the keys and types from the spec records' own serializer
/// contract (<see cref="PlatformJson.Options"/>), so a field added to a record is known here without a second list.
/// Unlike the deserializer it does not stop at the first problem, and it returns a copy of the document with the
/// offending values taken out, so the rules on values (<see cref="ModelSpecValidator.Validate"/>) can still run and
/// every problem is reported in one round trip.
/// </summary>
internal sealed partial class ModelSpecShape
{
    /// <summary>The editor hint <c>"$schema"</c>, allowed at the top level only.</summary>
    public const string SchemaKey = "$schema";

    /// <summary>
    /// Keys an earlier version wrote into stored specs (PUT re-serializes the spec) and no longer reads. Stored specs
    /// may keep them; a spec sent by a user may not.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RetiredKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["$.serving"] = "it was removed: it chose nothing (every host with the champion serves the model); delete it",
        ["$.trainer.usesRemoteTrainer"] = "it is computed from trainer.type and trainer.compute, not set",
    };

    // Written into the sanitized copy in place of a bad enum value: the deserializer accepts an integer and the value
    // rules recognise an undefined member, so they skip what depends on it.
    private const int UndefinedEnum = -1;

    // Returned for a value that cannot be used at all (wrong kind, bad enum, null where none is allowed), as opposed
    // to an object or array that is usable although something inside it was reported. Never inserted into a document.
    private static readonly JsonNode Unusable = new JsonObject();

    private readonly List<SpecProblem> _problems = [];
    private readonly bool _stored;

    private ModelSpecShape(bool stored) => _stored = stored;

    /// <summary>Checks <paramref name="root"/>; <paramref name="stored"/> tolerates <see cref="RetiredKeys"/>.</summary>
    public static (IReadOnlyList<SpecProblem> Problems, JsonNode? Sanitized) Check(JsonElement root, bool stored)
    {
        var shape = new ModelSpecShape(stored);
        var sanitized = shape.Value(root, typeof(ModelSpec), "$", nullable: false);
        return (shape._problems, ReferenceEquals(sanitized, Unusable) ? null : sanitized);
    }

    /// <summary>The same pass over another declaration file read with the platform's records (a feature view).</summary>
    public static (IReadOnlyList<SpecProblem> Problems, JsonNode? Sanitized) Check(JsonElement root, Type type)
    {
        var shape = new ModelSpecShape(stored: false);
        var sanitized = shape.Value(root, type, "$", nullable: false);
        return (shape._problems, ReferenceEquals(sanitized, Unusable) ? null : sanitized);
    }

    private JsonNode? Value(JsonElement e, Type type, string path, bool nullable)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            type = underlying;
            nullable = true;
        }

        if (e.ValueKind == JsonValueKind.Null)
        {
            if (nullable) return null;
            _problems.Add(new(path, $"Must be {Describe(type)}, not null."));
            return Unusable;
        }

        if (type == typeof(string)) return Kind(e, JsonValueKind.String, path, "a string") ? JsonValue.Create(e.GetString()) : Unusable;
        if (type == typeof(bool)) return e.ValueKind is JsonValueKind.True or JsonValueKind.False ? JsonValue.Create(e.GetBoolean()) : Wrong(path, "true or false", e);
        if (type == typeof(double)) return Number(e, path);
        if (type == typeof(int)) return Integer(e, path);
        if (type == typeof(TimeSpan)) return Duration(e, path);
        if (type.IsEnum) return Enum(e, type, path);

        var info = PlatformJson.Options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => Object(e, info, path),
            JsonTypeInfoKind.Enumerable => Array(e, info.ElementType!, path),
            JsonTypeInfoKind.Dictionary => Map(e, info.ElementType!, path),
            _ => throw new NotSupportedException($"No JSON shape for {type}."),
        };
    }

    private JsonNode Object(JsonElement e, JsonTypeInfo info, string path)
    {
        if (!Kind(e, JsonValueKind.Object, path, "an object")) return Unusable;

        var members = info.Properties
            .Where(p => p.Set is not null || p.AssociatedParameter is not null)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
        var result = new JsonObject();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            if (!seen.Add(property.Name))
            {
                // The deserializer would keep the last one silently.
                _problems.Add(new(childPath, $"Duplicate key '{property.Name}'."));
                continue;
            }

            if (path == "$" && property.Name == SchemaKey)
            {
                Kind(property.Value, JsonValueKind.String, childPath, "a string (the URI of the JSON Schema)");
                continue;
            }

            if (!members.TryGetValue(property.Name, out var member))
            {
                if (RetiredKeys.TryGetValue(childPath, out var why))
                {
                    if (!_stored) _problems.Add(new(childPath, $"Unknown key '{property.Name}': {why}."));
                    continue;
                }

                _problems.Add(new(childPath, UnknownKey(property.Name, members.Keys)));
                continue;
            }

            var nullable = member.AssociatedParameter?.IsNullable ?? member.IsSetNullable;
            var value = Value(property.Value, member.PropertyType, childPath, nullable);
            if (!ReferenceEquals(value, Unusable))
            {
                result[property.Name] = value;
            }
            else if (Placeholder(member.PropertyType) is { } placeholder)
            {
                result[property.Name] = placeholder;
            }
            else if (!member.PropertyType.IsValueType)
            {
                // Null satisfies a required key; the value rules read it as "absent" and report nothing new.
                result[property.Name] = null;
            }
        }

        foreach (var member in members.Values.Where(m => m.IsRequired || m.AssociatedParameter is { HasDefaultValue: false }))
        {
            if (seen.Contains(member.Name)) continue;
            _problems.Add(new($"{path}.{member.Name}", $"Required key '{member.Name}' is missing."));
            if (Placeholder(member.PropertyType) is { } placeholder) result[member.Name] = placeholder;
            else if (!member.PropertyType.IsValueType) result[member.Name] = null;
        }

        return result;
    }

    /// <summary>What stands in for a bad value so the copy still deserializes; null: leave the key out (its default).</summary>
    private static JsonNode? Placeholder(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type).IsEnum ? JsonValue.Create(UndefinedEnum) : null;

    private JsonNode Array(JsonElement e, Type element, string path)
    {
        if (!Kind(e, JsonValueKind.Array, path, "an array")) return Unusable;
        var result = new JsonArray();
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var value = Value(item, element, $"{path}[{i++}]", nullable: false);

            // An unusable reference-typed element becomes null (the value rules report null elements at the same
            // index, so indices keep matching); a bad number or duration gets a neutral value for the same reason.
            result.Add(!ReferenceEquals(value, Unusable) ? value : element.IsValueType ? Neutral(element) : null);
        }

        return result;
    }

    private static JsonNode? Neutral(Type valueType) =>
        valueType == typeof(TimeSpan) ? JsonValue.Create("00:00:00") : Placeholder(valueType) ?? JsonValue.Create(0);

    private JsonNode Map(JsonElement e, Type element, string path)
    {
        if (!Kind(e, JsonValueKind.Object, path, "an object")) return Unusable;
        var result = new JsonObject();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            if (!seen.Add(property.Name))
            {
                _problems.Add(new(childPath, $"Duplicate key '{property.Name}'."));
                continue;
            }

            var value = Value(property.Value, element, childPath, nullable: false);
            if (!ReferenceEquals(value, Unusable)) result[property.Name] = value;
        }

        return result;
    }

    private JsonNode Number(JsonElement e, string path)
    {
        // Named literals ("NaN", "Infinity") are refused here although the platform's serializer reads them:
        // no spec field means anything with them.
        if (e.ValueKind != JsonValueKind.Number) return Wrong(path, "a number", e);
        if (e.TryGetDouble(out var v) && double.IsFinite(v)) return JsonValue.Create(v);
        _problems.Add(new(path, $"Number {e.GetRawText()} is out of range."));
        return Unusable;
    }

    private JsonNode Integer(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Number) return Wrong(path, "an integer", e);
        if (e.TryGetInt32(out var v)) return JsonValue.Create(v);
        _problems.Add(new(path, $"Must be an integer within [{int.MinValue}, {int.MaxValue}] written without a fraction or exponent; got {e.GetRawText()}."));
        return Unusable;
    }

    private JsonNode Duration(JsonElement e, string path)
    {
        // Stricter than the serializer (which also takes "6" or "06:00"), so that the schema's pattern is the rule.
        if (e.ValueKind == JsonValueKind.String && DurationPattern().IsMatch(e.GetString()!))
        {
            try
            {
                return JsonValue.Create(e.Deserialize<TimeSpan>(PlatformJson.Options).ToString("c"));
            }
            catch (JsonException)
            {
                // Reported below with the expected format.
            }
        }

        _problems.Add(new(path, $"Must be a duration \"[d.]hh:mm:ss\", e.g. \"06:00:00\" (6 hours) or \"30.00:00:00\" (30 days); got {Show(e)}."));
        return Unusable;
    }

    private JsonNode Enum(JsonElement e, Type type, string path)
    {
        var names = EnumNames(type);
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { } name && names.Contains(name))
        {
            return JsonValue.Create(name);
        }

        var field = path[(path.LastIndexOf('.') + 1)..];
        _problems.Add(new(path, $"{field} must be one of {string.Join(", ", names)}; got {Show(e)}."));
        return Unusable;
    }

    /// <summary>TimeSpan's constant ("c") format with all three of hours, minutes and seconds; schemas/model.schema.json's duration pattern.</summary>
    public const string DurationRegex = @"^(\d{1,7}\.)?([01]?\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,7})?$";

    [GeneratedRegex(DurationRegex, RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    /// <summary>The JSON names of an enum's members, in declaration order.</summary>
    public static IReadOnlyList<string> EnumNames(Type type) =>
        [.. type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name)];

    private bool Kind(JsonElement e, JsonValueKind kind, string path, string expected)
    {
        if (e.ValueKind == kind) return true;
        Wrong(path, expected, e);
        return false;
    }

    private JsonNode Wrong(string path, string expected, JsonElement e)
    {
        _problems.Add(new(path, $"Must be {expected}; got {Show(e)}."));
        return Unusable;
    }

    private static string Show(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"'{Truncate(e.GetString()!)}'",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Truncate(e.GetRawText()),
    };

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";

    private static string Describe(Type type) =>
        type == typeof(string) ? "a string"
        : type == typeof(bool) ? "true or false"
        : type == typeof(double) || type == typeof(int) ? "a number"
        : type == typeof(TimeSpan) ? "a duration"
        : type.IsEnum ? "one of " + string.Join(", ", EnumNames(type))
        : PlatformJson.Options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Enumerable ? "an array"
        : "an object";

    private static string UnknownKey(string key, IEnumerable<string> known)
    {
        var suggestion = known
            .Select(k => (Key: k, Distance: EditDistance(key.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, c.Key.Length / 3))
            .OrderBy(c => c.Distance)
            .Select(c => c.Key)
            .FirstOrDefault();
        return suggestion is null
            ? $"Unknown key '{Truncate(key)}'; expected one of {string.Join(", ", known.Order(StringComparer.Ordinal))}."
            : $"Unknown key '{Truncate(key)}'; did you mean '{suggestion}'?";
    }

    /// <summary>Levenshtein distance (insert, delete, substitute), enough to catch a typo.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
