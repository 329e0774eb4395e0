using Serverless.Core.Monitoring;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.App.Monitoring;

/// <summary>What one monitoring check found and did.</summary>
/// <param name="Action">One of <see cref="MonitoringActions"/>.</param>
public sealed record MonitoringCheckResult(
    string Model,
    int? Version,
    DriftReport? Drift,
    QualityBreach? Quality,
    string Action,
    string? RunId,
    string Detail);

/// <summary>A live metric past the spec's floor over the shortest window that had enough labels.</summary>
public sealed record QualityBreach(string Metric, double Value, double Floor, TimeSpan Window, long Labeled);

public static class MonitoringActions
{
    public const string Skipped = "skipped";
    public const string None = "none";
    public const string Alerted = "alerted";
    public const string RetrainingStarted = "retraining-started";
    public const string Debounced = "debounced";

    /// <summary>The check could not run (unusable spec, or it threw); Detail says why. Other models are unaffected.</summary>
    public const string Failed = "failed";
}
