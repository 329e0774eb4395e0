namespace Serverless.Core.Releases;

/// <summary>Where a release stands (<see cref="ReleaseRecord.Status"/>).</summary>
public static class ReleaseStatus
{
    public const string Baking = "baking";
    public const string AwaitingApproval = "awaiting-approval";
    public const string Promoted = "promoted";
    public const string RolledBack = "rolled-back";

    public static bool IsFinished(string status) => status is Promoted or RolledBack;
}
