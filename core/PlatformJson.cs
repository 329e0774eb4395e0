using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Core;

/// <summary>The one JSON shape used for specs, cards, reports and HTTP bodies.</summary>
public static class PlatformJson
{
    public static readonly JsonSerializerOptions Options = Create(indented: false);

    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    /// <summary>Gives a host's HTTP serializer the platform's conventions (used by both hosts' JSON options).</summary>
    public static void Apply(JsonSerializerOptions target)
    {
        target.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        target.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        target.MaxDepth = 32;
    }

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            MaxDepth = 32,
        };
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
