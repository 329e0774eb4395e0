namespace Serverless.Core.Releases;

/// <summary>An approval or rejection, raised into the waiting release as its external event.</summary>
public sealed record ReleaseDecision(bool Approved, string? By, string? Reason)
{
    /// <summary>The external event's name.</summary>
    public const string EventName = "ReleaseDecision";
}
