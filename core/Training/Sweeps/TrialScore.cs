namespace Serverless.Core.Training.Sweeps;

/// <summary>What one trial at one rung measured.</summary>
/// <param name="Metric">Mean validation metric over the folds; null when undefined or failed.</param>
/// <param name="Error">Why the fit failed (then <paramref name="Metric"/> is null).</param>
public sealed record TrialScore(int Trial, int Rung, double? Metric, double Seconds, string? Error = null);
