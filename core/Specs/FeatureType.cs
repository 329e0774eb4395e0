using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

/// <summary>How a raw column is read and fed to the model.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureType>))]
public enum FeatureType
{
    /// <summary>A real number; float tensor input.</summary>
    [JsonStringEnumMemberName("numeric")]
    Numeric,

    /// <summary>A string from a category set; string tensor input, one-hot encoded inside the graph.</summary>
    [JsonStringEnumMemberName("categorical")]
    Categorical,

    /// <summary>true/false (also 1/0, yes/no); float tensor input holding 1 or 0.</summary>
    [JsonStringEnumMemberName("boolean")]
    Boolean,
}
