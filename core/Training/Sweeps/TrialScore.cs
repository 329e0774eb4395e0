namespace Serverless.Core.Training.Sweeps;

/// <summary>What one trial at one rung measured.</summary>
/// <param name="Metric">Mean validation metric over the folds; null when undefined or failed.</param>
/// <param name="Error">Why the fit failed (then <paramref name="Metric"/> is null).</param>
/// <param name="Where">Where it fitted: a pipeline activity or the trainer job (<see cref="Specs.Routing.TrainingPlacement"/>).</param>
/// <param name="Device">What it fitted on: cpu, or the trainer job's GPU for an mlp.</param>
public sealed record TrialScore(int Trial, int Rung, double? Metric, double Seconds, string? Error = null, string? Where = null, string? Device = null);
