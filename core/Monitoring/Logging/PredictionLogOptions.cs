namespace Serverless.Core.Monitoring.Logging;

/// <summary>Bound from configuration section <c>PredictionLog</c>.</summary>
public sealed class PredictionLogOptions
{
    public const string Section = "PredictionLog";

    /// <summary>Rows held in memory waiting to be written; beyond this, new rows are dropped (and counted).</summary>
    public int MaxBufferedRows { get; set; } = 200_000;

    /// <summary>How long rows wait before a write, at most.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows per Parquet file, at most.</summary>
    public int MaxBatchRows { get; set; } = 100_000;
}
