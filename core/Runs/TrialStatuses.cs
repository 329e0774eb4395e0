namespace Serverless.Core.Runs;

public static class TrialStatuses
{
    /// <summary>Ran to the last rung (random search: ran).</summary>
    public const string Completed = "completed";

    /// <summary>ASHA did not promote it past a rung.</summary>
    public const string StoppedEarly = "stopped-early";

    public const string Failed = "failed";

    /// <summary>The sweep's wall time ran out before it started (or before its next rung).</summary>
    public const string NotRun = "not-run";
}
