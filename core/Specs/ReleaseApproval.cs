using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

/// <summary>Whether a release waits for <c>POST …/releases/{id}/approve</c> before its candidate takes all traffic.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReleaseApproval>))]
public enum ReleaseApproval
{
    [JsonStringEnumMemberName("none")]
    None,

    [JsonStringEnumMemberName("required")]
    Required,
}
