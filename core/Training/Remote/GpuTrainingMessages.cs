namespace Serverless.Core.Training.Remote;

/// <summary>
/// Queue <c>gpu-training-requests</c>: train run <paramref name="RunId"/> of <paramref name="Model"/> on dataset
/// version <paramref name="DatasetSha256"/>. The spec is the run's <c>runs/{model}/{runId}/spec.json</c>; outputs go
/// to the same folder through <see cref="RunArtifacts"/>.
/// </summary>
public sealed record GpuTrainingRequest(string RunId, string Model, string DatasetSha256, DateTimeOffset RequestedAt);

/// <summary>Queue <c>gpu-training-results</c>: the trainer's answer; the platform raises it as the run's external event.</summary>
public sealed record GpuTrainingResult(string RunId, string Model, bool Succeeded, string? Error, TrainingRecord? Training);

public static class GpuQueues
{
    public const string Requests = "gpu-training-requests";
    public const string Results = "gpu-training-results";

    /// <summary>The external event name the waiting orchestration listens for.</summary>
    public const string ResultEvent = "GpuTrainingResult";
}
