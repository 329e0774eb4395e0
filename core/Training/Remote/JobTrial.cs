namespace Serverless.Core.Training.Remote;

/// <summary>
/// A sweep trial sent to the trainer job (<see cref="GpuTrainingRequest.Trial"/>): fit trial <paramref name="Trial"/> at
/// rung <paramref name="Rung"/> with <paramref name="Parameters"/> (the orchestration's sweep book sampled them from the
/// seed and the trial number, ASHA's trees or epochs for the rung included) and answer its score, not a model. One
/// message per trial, so the job scales out to the sweep's concurrency and each trial is its own unit of redelivery.
/// </summary>
public sealed record JobTrial(int Trial, int Rung, IReadOnlyDictionary<string, double> Parameters);
