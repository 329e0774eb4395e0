using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

[JsonConverter(typeof(JsonStringEnumConverter<SearchDirection>))]
public enum SearchDirection
{
    [JsonStringEnumMemberName("maximize")]
    Maximize,
    [JsonStringEnumMemberName("minimize")]
    Minimize,
}
