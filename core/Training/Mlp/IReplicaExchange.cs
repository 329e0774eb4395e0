namespace Serverless.Core.Training.Mlp;

/// <summary>
/// One replica's link to the others when a data-parallel MLP run spans several processes (trainer job executions):
/// every global step is a round in which each replica contributes the summed gradient and loss of its share of the
/// batch and gets back the sum over all replicas, added in replica order so every replica holds the same bits.
/// </summary>
public interface IReplicaExchange
{
    /// <summary>This replica's index, 0 … <see cref="Replicas"/> − 1.</summary>
    int Replica { get; }

    int Replicas { get; }

    /// <summary>
    /// True when this replica's contribution to <paramref name="round"/> is already stored: a replica resumed after
    /// a crash replays those rounds from the stored contributions instead of computing its gradient again.
    /// </summary>
    bool Contributed(long round);

    /// <summary>
    /// Publishes <paramref name="gradient"/> and <paramref name="loss"/> as this replica's contribution to
    /// <paramref name="round"/> (unless <see cref="Contributed"/>), waits until every replica's is there, and
    /// overwrites <paramref name="gradient"/> with their sum; returns the summed loss.
    /// </summary>
    double Combine(long round, float[] gradient, double loss, CancellationToken ct);

    /// <summary>
    /// Called by every replica after each epoch (with its early-stopping bookkeeping done); the exchange decides
    /// whether to store <paramref name="checkpoint"/> (e.g. replica 0, every C epochs).
    /// </summary>
    void EpochCompleted(int epoch, Func<MlpCheckpoint> checkpoint, CancellationToken ct);

    /// <summary>The latest stored checkpoint for a replica that resumes (null: start from the seed).</summary>
    MlpCheckpoint? LatestCheckpoint(CancellationToken ct);
}
