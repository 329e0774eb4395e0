using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

[JsonConverter(typeof(JsonStringEnumConverter<SearchDistribution>))]
public enum SearchDistribution
{
    [JsonStringEnumMemberName("choice")]
    Choice,
    [JsonStringEnumMemberName("uniform")]
    Uniform,

    /// <summary>Uniform in log space: as many draws in [0.001, 0.01] as in [0.01, 0.1].</summary>
    [JsonStringEnumMemberName("logUniform")]
    LogUniform,

    /// <summary>Uniform over the integers min..max, both included.</summary>
    [JsonStringEnumMemberName("int")]
    Int,
}
