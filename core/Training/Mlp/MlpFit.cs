using System.Diagnostics;

namespace Serverless.Core.Training.Mlp;

/// <summary>
/// The epoch loop on already-encoded inputs: seeded init and shuffling, data-parallel mini-batch Adam, early
/// stopping on the validation loss with the best weights kept. Same seed + same data → same weights. Replicas joined
/// by an <see cref="IReplicaExchange"/> all run this same loop (same shuffle, same validation, same early stop).
/// </summary>
public static class MlpFit
{
    public static MlpFitResult Run(
        IMlpCompute compute,
        MlpLayout layout,
        MlpHyperparameters hp,
        int seed,
        float[] trainFeatures,
        float[] trainTargets,
        float[] validationFeatures,
        float[] validationTargets,
        CancellationToken ct,
        Action<MlpEpoch>? onEpoch = null,
        IReplicaExchange? exchange = null)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(hp);
        var rows = trainTargets.Length;
        var validationRows = validationTargets.Length;
        if (rows == 0) throw new ArgumentException("No training rows.", nameof(trainTargets));

        var batchSize = Math.Min(hp.BatchSize, rows);
        using var step = new DataParallelStep(compute, layout, layout.InitialParameters(seed), compute.PlanWorkers(hp.Workers), batchSize, hp.LearningRate, hp.L2Regularization, exchange, ct, hp.RoundSteps);
        var rng = new Random(seed);
        var order = Enumerable.Range(0, rows).ToArray();
        var best = step.Parameters.ToArray();
        var bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, epoch = 0, sinceBest = 0;
        List<double> trainLoss = [], validationLoss = [];
        List<TimeSpan> times = [];
        var stoppedEarly = false;

        // A resumed replica starts from the run's latest checkpoint: same weights, Adam state and bookkeeping, and
        // the shuffles of the epochs before it replayed from the seed; later rounds replay from stored contributions.
        if (exchange?.LatestCheckpoint(ct) is { } resumed)
        {
            for (var e = 0; e < resumed.Epoch; e++) rng.Shuffle(order);
            step.Restore(resumed.Parameters, resumed.Adam, resumed.Rounds);
            resumed.Best.CopyTo(best, 0);
            (bestLoss, bestEpoch, sinceBest, epoch) = (resumed.BestLoss, resumed.BestEpoch, resumed.SinceBest, resumed.Epoch);
            (trainLoss, validationLoss, times) = ([.. resumed.TrainLoss], [.. resumed.ValidationLoss], [.. resumed.EpochTimes]);
        }

        while (epoch < hp.Epochs)
        {
            ct.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            epoch++;
            rng.Shuffle(order);
            for (var start = 0; start < rows; start += batchSize)
            {
                step.Step(trainFeatures, trainTargets, order.AsSpan(start, Math.Min(batchSize, rows - start)));
            }

            // Rounds of local steps end with the epoch, so every replica validates the same weights.
            step.Flush();
            var sum = step.TakeLossSum();

            trainLoss.Add(sum / rows);

            // Without validation rows the training loss stands in (tiny datasets only).
            var loss = validationRows > 0 ? step.Evaluate(validationFeatures, validationTargets, validationRows) : sum / rows;
            validationLoss.Add(loss);
            times.Add(sw.Elapsed);
            onEpoch?.Invoke(new MlpEpoch(epoch, trainLoss[^1], loss, sw.Elapsed));

            if (loss < bestLoss)
            {
                (bestLoss, bestEpoch, sinceBest) = (loss, epoch, 0);
                step.Parameters.CopyTo(best, 0);
            }
            else if (++sinceBest >= hp.Patience)
            {
                stoppedEarly = epoch < hp.Epochs;
                break;
            }

            if (exchange is not null && epoch < hp.Epochs)
            {
                var (e, b, bl, be, sb) = (epoch, best, bestLoss, bestEpoch, sinceBest);
                exchange.EpochCompleted(epoch, () => new MlpCheckpoint(e, step.Rounds, step.Parameters.ToArray(), step.AdamState, b.ToArray(), bl, be, sb, [.. trainLoss], [.. validationLoss], [.. times]), ct);
            }
        }

        return new MlpFitResult(best, epoch, bestEpoch, stoppedEarly, trainLoss, validationLoss, times, step.Workers);
    }
}
