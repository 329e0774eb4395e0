namespace Serverless.Core.Training.Remote;

/// <summary>How multi-replica MLP runs synchronise through storage (configuration section <c>Trainer:Sync</c>).</summary>
public sealed record ReplicaSyncOptions
{
    /// <summary>Longest wait between listings of a round's folder while contributions are missing (the first waits are 1, 2, 4 … ms).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a replica waits for a round to complete before failing the run. It must cover a lost replica's
    /// comeback: the request's visibility timeout plus a new job execution's start (KEDA polls every 30 s) plus its
    /// replay of the rounds before.
    /// </summary>
    public TimeSpan RoundTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Replica 0 stores the weights, Adam state and early-stopping bookkeeping every this many epochs, so a resumed
    /// replica replays at most this many epochs of stored rounds instead of the whole run.
    /// </summary>
    public int CheckpointEveryEpochs { get; init; } = 1;
}
