namespace Serverless.Core.Runs;

/// <summary>One row of a sweep's trial table.</summary>
/// <param name="Trial">The trial's number (0-based); its parameters are a function of the search seed and this number.</param>
/// <param name="Parameters">The sampled hyperparameters (without ASHA's per-rung number of trees, which <paramref name="Rungs"/> gives).</param>
/// <param name="Rungs">The validation metric at each rung the trial ran (random search: one).</param>
/// <param name="Status">One of <see cref="TrialStatuses"/>.</param>
/// <param name="Seconds">Fit and scoring time over all its rungs (and folds).</param>
/// <param name="Error">Why it failed (status failed only).</param>
public sealed record SweepTrial(
    int Trial,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyList<RungScore> Rungs,
    string Status,
    double Seconds,
    string? Error = null);
