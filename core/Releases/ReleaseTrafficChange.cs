namespace Serverless.Core.Releases;

/// <summary>An operator's new weight for a held release's candidate, raised into the release as its external event.</summary>
public sealed record ReleaseTrafficChange(int Percent, string? By)
{
    /// <summary>The external event's name.</summary>
    public const string EventName = "ReleaseTrafficChange";
}
