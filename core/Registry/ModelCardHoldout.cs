namespace Serverless.Core.Registry;

/// <summary>What the train step measures for the model card from the holdout outputs it already computed (no re-scoring).</summary>
public sealed record ModelCardHoldout(IReadOnlyList<ModelCardSlice> Slices, ModelCardCalibration? Calibration);
