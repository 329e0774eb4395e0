using Serverless.Core.Specs;

namespace Serverless.Core.Explanations;

/// <summary>
/// What explaining a registered MLP needs (<c>gradients.json</c> beside its <c>model.onnx</c>): the network's weights
/// and preprocessing, from which <see cref="IntegratedGradients"/> takes exact gradients, and the baseline input.
/// </summary>
public sealed record GradientExplainerArtifact
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    /// <summary>SHA-256 of the <c>model.onnx</c> exported from these weights (lower-case hex).</summary>
    public required string ModelSha256 { get; init; }

    public required ModelTask Task { get; init; }

    /// <summary>Raw inputs in network-input order.</summary>
    public required IReadOnlyList<GradientFeature> Features { get; init; }

    public required int HiddenLayers { get; init; }

    public required int HiddenUnits { get; init; }

    /// <summary>Network outputs: 1 for binary (the logit) and regression (the standardised target), one logit per class for multiclass.</summary>
    public required int Outputs { get; init; }

    /// <summary>Per layer: weights [in × out] row-major, then biases [out]; ReLU after every layer but the last.</summary>
    public required float[] Parameters { get; init; }

    /// <summary>Regression: prediction = output · TargetStd + TargetMean.</summary>
    public float TargetMean { get; init; }

    public float TargetStd { get; init; } = 1;

    /// <summary>Multiclass: class labels in output order.</summary>
    public IReadOnlyList<string>? Classes { get; init; }
}
