namespace Serverless.Core.Monitoring.Logging;

/// <summary>Where the log's writer hands the predictions it wrote whose confidence was below the spec's labeling threshold.</summary>
public interface IUncertainPredictionSink
{
    Task EnqueueUncertainAsync(IReadOnlyList<PredictionLogEntry> entries, CancellationToken ct);
}
