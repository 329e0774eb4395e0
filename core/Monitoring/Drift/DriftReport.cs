namespace Serverless.Core.Monitoring.Drift;

/// <summary>One drift check of a model version's logged window against its training reference.</summary>
/// <param name="Status">drift, no-drift or insufficient-data (see <see cref="DriftStatus"/>).</param>
/// <param name="DatasetDrift">Whether at least DatasetDriftShare of the features drifted; null with insufficient data.</param>
/// <param name="DriftedShare">Drifted features / features (the prediction is not counted).</param>
/// <param name="Prediction">Drift of the model output column, when the reference has one.</param>
public sealed record DriftReport(
    string Model,
    int Version,
    DateTimeOffset At,
    string Status,
    long ReferenceRows,
    long CurrentRows,
    bool? DatasetDrift,
    double DriftedShare,
    IReadOnlyList<FeatureDrift> Features,
    FeatureDrift? Prediction);
