namespace Serverless.Core.Registry;

/// <summary>
/// How far the predicted probabilities can be taken at face value. Binary: bins of P(positive); multiclass: bins of the
/// top class's probability (confidence) against how often the top class was right. Regression has no probabilities:
/// quantiles of the holdout residual (label − prediction) instead.
/// </summary>
/// <param name="Kind"><c>probability</c>, <c>confidence</c> or <c>residual</c>.</param>
/// <param name="Bins">Equal-width bins of [0, 1] (empty bins included, count 0); empty for regression.</param>
/// <param name="ExpectedCalibrationError">Σ (count / n) · |observed − mean predicted| over the bins, in [0, 1]; null for regression or no rows.</param>
/// <param name="ResidualQuantiles">Regression: residual quantiles keyed "p05" … "p95"; null otherwise.</param>
public sealed record ModelCardCalibration(
    string Kind,
    IReadOnlyList<CalibrationBin> Bins,
    double? ExpectedCalibrationError,
    IReadOnlyDictionary<string, double>? ResidualQuantiles = null)
{
    public const string Probability = "probability";
    public const string Confidence = "confidence";
    public const string Residual = "residual";
}

/// <summary>One reliability bin: rows whose predicted probability fell in [Lower, Upper) ([Lower, Upper] for the last).</summary>
/// <param name="MeanPredicted">Mean predicted probability of the rows; null when the bin is empty.</param>
/// <param name="Observed">Share of the rows that were positive (binary) or whose top class was right (multiclass); null when empty.</param>
/// <remarks>Nulls, not NaN: the record also travels in the GPU trainer's result through Durable's default serializer.</remarks>
public sealed record CalibrationBin(double Lower, double Upper, long Count, double? MeanPredicted, double? Observed);
