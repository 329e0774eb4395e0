namespace Serverless.Core.Training.Remote;

/// <summary>How the GPU trainer worker polls and guards its queue (configuration section <see cref="Section"/>).</summary>
public sealed record GpuTrainingWorkerOptions
{
    public const string Section = "Trainer";

    /// <summary>
    /// As a Container Apps Job execution (default) the trainer drains the queue and exits, since a job replica must
    /// exit to complete; otherwise it polls until stopped.
    /// </summary>
    public bool ExitWhenIdle { get; init; } = true;

    /// <summary>How long a received request stays hidden; renewed at half this while training runs.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Wait between polls of an empty queue (<see cref="GpuTrainingWorker.RunAsync"/>).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A request dequeued more often than this (the trainer kept dying on it) fails its run instead of training again.</summary>
    public int MaxDequeueCount { get; init; } = 3;

    /// <summary>The request queue (the one the KEDA rule watches); other names only isolate tests sharing one account.</summary>
    public string RequestsQueue { get; init; } = GpuQueues.Requests;

    /// <summary>Requests handled at once by <see cref="GpuTrainingWorker.RunAsync"/>: a host that serves multi-replica runs alone (the local host) needs one per replica.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Gradient exchange of multi-replica MLP runs.</summary>
    public ReplicaSyncOptions Sync { get; init; } = new();

    /// <summary>The result queue the platform relays to waiting runs.</summary>
    public string ResultsQueue { get; init; } = GpuQueues.Results;
}
