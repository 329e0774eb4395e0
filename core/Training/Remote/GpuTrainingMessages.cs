using Serverless.Core.Specs;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Core.Training.Remote;

/// <summary>
/// Queue <c>gpu-training-requests</c>: train run <paramref name="RunId"/> of <paramref name="Model"/> on dataset
/// version <paramref name="DatasetSha256"/>. The spec is the run's <c>runs/{model}/{runId}/spec.json</c>; outputs go
/// to the same folder through <see cref="RunArtifacts"/>. A run with <paramref name="Replicas"/> &gt; 1 (MLP hyperparameter
/// <c>replicas</c>) is one request per replica; they train together, exchanging gradients under the run's <c>sync/</c>
/// folder every step (<see cref="BlobReplicaExchange"/>), and replica 0 writes the outputs. The shared seed is the spec's.
/// </summary>
/// <param name="Trial">Set: score this sweep trial instead of training the run (<see cref="JobTrial"/>).</param>
/// <param name="Hyperparameters">Set: train with these instead of the frozen spec's (a sweep's winner).</param>
public sealed record GpuTrainingRequest(
    string RunId,
    string Model,
    string DatasetSha256,
    DateTimeOffset RequestedAt,
    int Replica = 0,
    int Replicas = 1,
    JobTrial? Trial = null,
    IReadOnlyDictionary<string, double>? Hyperparameters = null)
{
    /// <summary>The requests that train one run: one per replica of an MLP spec's <c>replicas</c>, else one.</summary>
    public static IReadOnlyList<GpuTrainingRequest> ForRun(string runId, string model, string datasetSha256, DateTimeOffset at, ModelSpec? spec)
    {
        var replicas = spec?.Trainer is { Type: TrainerKind.Mlp } trainer ? Mlp.MlpHyperparameters.From(trainer).Replicas : 1;
        return [.. Enumerable.Range(0, replicas).Select(i => new GpuTrainingRequest(runId, model, datasetSha256, at, i, replicas))];
    }
}

/// <summary>Queue <c>gpu-training-results</c>: the trainer's answer; the platform raises it as the run's external event (<see cref="GpuQueues.EventFor"/>).</summary>
/// <param name="Trial">A sweep trial's answer: its score (failed: with the error).</param>
public sealed record GpuTrainingResult(string RunId, string Model, bool Succeeded, string? Error, TrainingRecord? Training, TrialScore? Trial = null);

public static class GpuQueues
{
    public const string Requests = "gpu-training-requests";
    public const string Results = "gpu-training-results";

    /// <summary>The external event name the waiting orchestration listens for.</summary>
    public const string ResultEvent = "GpuTrainingResult";

    /// <summary>The external event a sweep waits on for one trial at one rung: each in flight has its own.</summary>
    public static string TrialEvent(int trial, int rung) => $"SweepTrial-{trial}-rung-{rung}";

    /// <summary>The event <paramref name="result"/> is raised as.</summary>
    public static string EventFor(GpuTrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Trial is { } t ? TrialEvent(t.Trial, t.Rung) : ResultEvent;
    }
}
