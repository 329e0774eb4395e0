namespace Serverless.Core.Training.Mlp;

/// <summary>What the epoch loop produced: the best weights (lowest validation loss) and the loss history.</summary>
/// <param name="EpochsRun">Epochs actually run (fewer than asked when early stopping fired).</param>
/// <param name="BestEpoch">1-based epoch whose weights were kept.</param>
/// <param name="EpochTimes">Wall time per epoch (training steps + validation).</param>
/// <param name="Workers">In-process data-parallel workers that ran (per replica).</param>
public sealed record MlpFitResult(
    float[] Parameters,
    int EpochsRun,
    int BestEpoch,
    bool StoppedEarly,
    IReadOnlyList<double> TrainLoss,
    IReadOnlyList<double> ValidationLoss,
    IReadOnlyList<TimeSpan> EpochTimes,
    int Workers);
