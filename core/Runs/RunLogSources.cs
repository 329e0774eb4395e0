namespace Serverless.Core.Runs;

/// <summary>Where a run log line was written.</summary>
public static class RunLogSources
{
    /// <summary>A pipeline activity (Functions or the local host's worker).</summary>
    public const string Activity = "activity";

    /// <summary>The trainer job (the container job, or the local host's in-process job worker).</summary>
    public const string Job = "job";
}
