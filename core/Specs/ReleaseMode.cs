using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

/// <summary>How a candidate that passed its gate reaches traffic (spec <c>release.mode</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReleaseMode>))]
public enum ReleaseMode
{
    /// <summary>Promoted to champion at once (the behaviour before releases existed, and the default).</summary>
    [JsonStringEnumMemberName("auto")]
    Auto,

    /// <summary>A share of keyed traffic per step, baked and checked against the guardrails, then champion.</summary>
    [JsonStringEnumMemberName("canary")]
    Canary,

    /// <summary>Scores a copy of the traffic off the hot path for the bake time, compared, then champion or not.</summary>
    [JsonStringEnumMemberName("shadow")]
    Shadow,

    /// <summary>No traffic until someone approves; approval makes it champion.</summary>
    [JsonStringEnumMemberName("manual")]
    Manual,

    /// <summary>
    /// Canary steps up to the last, which is held (any percentage): its guardrails judged every bake period, until someone
    /// approves (champion) or rejects, or the approval timeout passes.
    /// </summary>
    [JsonStringEnumMemberName("hold")]
    Hold,
}
