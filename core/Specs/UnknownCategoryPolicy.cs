using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

/// <summary>What ingest does with a categorical value outside the declared category set.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnknownCategoryPolicy>))]
public enum UnknownCategoryPolicy
{
    /// <summary>The row is invalid (counted against <c>maxInvalidRowFraction</c>).</summary>
    [JsonStringEnumMemberName("reject")]
    Reject,

    /// <summary>The value is kept; the one-hot encoder maps it to all zeros.</summary>
    [JsonStringEnumMemberName("allow")]
    Allow,
}
