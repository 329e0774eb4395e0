namespace Serverless.Durable.Lifecycle;

/// <summary>How long finished orchestrations (runs, batches) keep their Durable history (section <c>HistoryRetention</c>).</summary>
public sealed class HistoryRetentionOptions
{
    public const string Section = "HistoryRetention";

    /// <summary>Completed, failed and terminated instances created more than this many days ago are purged.</summary>
    public int Days { get; set; } = 30;
}
