namespace Serverless.Core.Monitoring.Drift;

/// <summary>Values of <see cref="DriftReport.Status"/>.</summary>
public static class DriftStatus
{
    /// <summary>Dataset drift, or drift of the prediction column.</summary>
    public const string Drift = "drift";

    public const string NoDrift = "no-drift";

    /// <summary>Fewer window rows than DriftSpec.MinWindowRows: never read as "no drift".</summary>
    public const string InsufficientData = "insufficient-data";
}
