using System.Text.Json.Serialization;

namespace Serverless.Core.Specs;

[JsonConverter(typeof(JsonStringEnumConverter<TrainerKind>))]
public enum TrainerKind
{
    [JsonStringEnumMemberName("lightgbm")]
    LightGbm,
    [JsonStringEnumMemberName("fasttree")]
    FastTree,

    /// <summary>Linear model: SDCA (default) or L-BFGS, chosen by <see cref="TrainerSpec.Solver"/>.</summary>
    [JsonStringEnumMemberName("linear")]
    Linear,

    /// <summary>Multilayer perceptron, trained by the GPU trainer (ILGPU on CUDA, plain C# otherwise) via its queue.</summary>
    [JsonStringEnumMemberName("mlp")]
    Mlp,
}
