using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

/// <summary>
/// How a feature's value is written to the prediction log and the labeling queue (spec <c>features[].log</c>), so
/// personal data need not be stored in clear. Scoring always sees the raw value.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureLogMode>))]
public enum FeatureLogMode
{
    /// <summary>The value as scored (the default).</summary>
    [JsonStringEnumMemberName("raw")]
    Raw,

    /// <summary>
    /// SHA-256 (lower-case hex) of the value's invariant text: equal values stay equal across hosts and time, with no
    /// key to share or rotate. Unkeyed, so a low-entropy value (an age, a yes/no, a short category list) can be found by
    /// hashing every candidate: use <see cref="Omit"/> for those.
    /// </summary>
    [JsonStringEnumMemberName("hash")]
    Hash,

    /// <summary>Not written at all.</summary>
    [JsonStringEnumMemberName("omit")]
    Omit,
}
