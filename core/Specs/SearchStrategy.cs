using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

[JsonConverter(typeof(JsonStringEnumConverter<SearchStrategy>))]
public enum SearchStrategy
{
    /// <summary>Every trial trains to the end.</summary>
    [JsonStringEnumMemberName("random")]
    Random,

    /// <summary>
    /// Successive halving over the number of trees, in rungs: all trials train with few trees, the best
    /// 1/reductionFactor go on with reductionFactor times as many, until the final number of trees.
    /// </summary>
    [JsonStringEnumMemberName("asha")]
    Asha,
}
