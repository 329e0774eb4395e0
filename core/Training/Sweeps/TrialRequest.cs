using Serverless.Core.Specs;

namespace Serverless.Core.Training.Sweeps;

/// <summary>One trial at one rung of a run's sweep: the setting comes from the orchestration's <see cref="SweepBook"/>.</summary>
/// <param name="Spec">The run's spec (with its search), as ingest validated it.</param>
/// <param name="Parameters">The hyperparameters to fit with (ASHA's number of trees for the rung included).</param>
public sealed record TrialRequest(
    string RunId,
    string Model,
    string DatasetSha256,
    ModelSpec Spec,
    int Trial,
    int Rung,
    IReadOnlyDictionary<string, double> Parameters);
