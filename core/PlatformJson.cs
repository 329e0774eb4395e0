using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Core;

/// <summary>The one JSON shape used for specs, cards, reports and HTTP bodies.</summary>
public static class PlatformJson
{
    public static readonly JsonSerializerOptions Options = Create(indented: false);

    public static readonly JsonSerializerOptions Indented = Create(indented: true);

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
