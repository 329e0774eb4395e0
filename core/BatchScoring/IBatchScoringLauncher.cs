namespace Serverless.Core.BatchScoring;

/// <summary>Starts and reads batch scoring orchestrations (implemented by the durable project over the host's task hub client).</summary>
public interface IBatchScoringLauncher
{
    /// <summary>Schedules the batch under <see cref="BatchScoringRequest.BatchId"/>: false when one with that id exists already.</summary>
    Task<bool> TryStartAsync(BatchScoringRequest request, CancellationToken ct);

    Task<BatchView?> GetAsync(string batchId, CancellationToken ct);
}

/// <summary>A batch as <c>GET /api/batches/{id}</c> shows it.</summary>
public sealed record BatchView(string BatchId, string Status, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, BatchScoringRequest? Request, BatchSummary? Summary, string? Failure);
