using Serverless.Core.Explanations;
using Serverless.Core.Scoring;

namespace Serverless.App.Serving;

/// <summary>
/// The body of explain (and of predict with <c>?explain=true</c>): the predictions as predict answers them, and per row
/// attributions per input column in raw margin space (exact TreeSHAP, or integrated gradients for an MLP).
/// <paramref name="Link"/> states how a margin becomes the prediction (<see cref="Links"/>; binary:
/// <paramref name="Calibration"/> gives the probability from the margin); <paramref name="Method"/> names the method.
/// </summary>
public sealed record ExplainResponse(
    string Model,
    int Version,
    IReadOnlyList<Prediction> Predictions,
    string Method,
    string Link,
    PlattCalibration? Calibration,
    IReadOnlyList<Explanation> Explanations)
{
    /// <summary>False for exact TreeSHAP; true for integrated gradients (quadrature; see each output's completeness gap).</summary>
    public bool Approximate { get; init; }
}
