using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Core.Registry.Events;

/// <summary>
/// The CloudEvents JSON event format, structured mode
/// (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md): context attributes and the
/// extension as top-level members, the change as <c>data</c>.
/// </summary>
public static class CloudEventJson
{
    public const string MediaType = "application/cloudevents+json";

    public const string DataContentType = "application/json";

    public static JsonObject ToJson(RegistryEvent e) => new()
    {
        ["specversion"] = RegistryEvent.SpecVersion,
        ["id"] = e.Id,
        ["source"] = e.Source,
        ["type"] = e.Type,
        ["subject"] = e.Subject,
        ["time"] = e.Time.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["datacontenttype"] = DataContentType,
        ["sequence"] = e.SequenceText,
        ["data"] = JsonSerializer.SerializeToNode(e.Data, PlatformJson.Options),
    };

    public static string Serialize(RegistryEvent e) => ToJson(e).ToJsonString();
}
