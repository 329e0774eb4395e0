namespace Serverless.Core.Training.Mlp;

/// <summary>One finished epoch of <see cref="MlpFit"/>, as it happens (a long GPU run shows progress in its log).</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="ValidationLoss">The early-stopping loss (the training loss when there are no validation rows).</param>
public sealed record MlpEpoch(int Epoch, double TrainLoss, double ValidationLoss, TimeSpan Elapsed);
