namespace Serverless.App.Intake;

/// <summary>What <see cref="DropIntake"/> did with one dropped blob.</summary>
public sealed record DropOutcome(DropStatus Status, string? RunId, string Detail);

public enum DropStatus
{
    /// <summary>A new run was scheduled.</summary>
    Started,

    /// <summary>This very blob was seen before and its run exists (a re-delivered trigger).</summary>
    AlreadyStarted,

    /// <summary>The same bytes were dropped before under another name; archived beside the first drop.</summary>
    Duplicate,

    /// <summary>The blob path names no valid model; archived in quarantine.</summary>
    Rejected,

    /// <summary>The blob disappeared before it could be read (already handled).</summary>
    Gone,
}
