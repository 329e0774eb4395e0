using System.Globalization;
using System.Text.Json;
using Serverless.Core.Specs;

namespace Serverless.App.Features;

/// <summary>Entity keys and feature values as clients send them in JSON, read the way the offline data has them.</summary>
public static class OnlineRequestValues
{
    /// <summary>A key part: a string as is, a number in its shortest round-trip float form (as a snapshot's float column gives it); else null.</summary>
    public static string? Key(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number when e.TryGetSingle(out var f) && float.IsFinite(f) => f.ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>A feature value as the online store holds it (double, or string for categorical); <paramref name="problem"/> says why not.</summary>
    public static object? Value(FeatureType type, JsonElement e, out string? problem)
    {
        problem = null;
        switch (type)
        {
            case FeatureType.Numeric when e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d):
                return (double)(float)d;
            case FeatureType.Boolean when e.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return e.GetBoolean() ? 1.0 : 0.0;
            case FeatureType.Categorical when e.ValueKind == JsonValueKind.String:
                return e.GetString();
            default:
                problem = type switch
                {
                    FeatureType.Numeric => "Must be a finite number or null.",
                    FeatureType.Boolean => "Must be true, false or null.",
                    _ => "Must be a string or null.",
                };
                return null;
        }
    }
}
