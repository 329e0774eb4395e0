using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

/// <summary>What a model predicts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelTask>))]
public enum ModelTask
{
    [JsonStringEnumMemberName("binary")]
    Binary,
    [JsonStringEnumMemberName("multiclass")]
    Multiclass,
    [JsonStringEnumMemberName("regression")]
    Regression,
}
