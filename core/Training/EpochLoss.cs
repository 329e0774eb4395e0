namespace Serverless.Core.Training;

/// <summary>One epoch of an MLP's loss curve, kept with the run (<c>training.json</c>) and shown in its detail.</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="ValidationLoss">The early-stopping loss (the training loss when there were no validation rows).</param>
public sealed record EpochLoss(int Epoch, double TrainLoss, double ValidationLoss, double Seconds);
