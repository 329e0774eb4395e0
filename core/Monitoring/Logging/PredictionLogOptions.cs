namespace Serverless.Core.Monitoring.Logging;

/// <summary>Bound from configuration section <c>PredictionLog</c>.</summary>
public sealed class PredictionLogOptions
{
    public const string Section = "PredictionLog";

    /// <summary>
    /// Memory the entries waiting to be written may hold (<see cref="PredictionLogEntry.EstimatedBytes"/>, counted until
    /// their file is written); an entry that would go beyond it is dropped and counted. Bytes, not rows: a row of a wide
    /// model, or of one with long text fields, holds many times the memory of a narrow one. 0 turns the log off.
    /// 64 MiB holds tens of seconds of single-row requests at 1,000/s for a 20-feature model, and keeps the log's share
    /// of a Flex Consumption instance small (instance memory 2,048 or 4,096 MB: learn.microsoft.com,
    /// FunctionFlexConsumptionResourceConfiguration.InstanceMemoryMB).
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long rows wait before a write, at most.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows per Parquet file, at most.</summary>
    public int MaxBatchRows { get; set; } = 100_000;
}
