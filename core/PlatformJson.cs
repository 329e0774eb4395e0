using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Core;

/// <summary>
/// The one JSON shape used for specs, cards, reports and HTTP bodies. NaN and ±Infinity are written as null, meaning
/// "undefined on this data" (see <see cref="NonFiniteAsNullDoubleConverter"/>); "NaN"/"Infinity" strings are still read.
/// </summary>
public static class PlatformJson
{
    public static readonly JsonSerializerOptions Options = Create(indented: false);

    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    /// <summary>Gives a host's HTTP serializer the platform's conventions (used by both hosts' JSON options).</summary>
    public static void Apply(JsonSerializerOptions target)
    {
        target.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Numbers only as numbers (the web defaults would read "5" as 5); the converters below own double and float.
        target.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        target.MaxDepth = 32;
        target.Converters.Add(new NonFiniteAsNullDoubleConverter());
        target.Converters.Add(new NonFiniteAsNullSingleConverter());
    }

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = indented };
        Apply(o);
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
