namespace Serverless.Core.Releases;

/// <summary>How a release ended, as the training run reports it.</summary>
public sealed record ReleaseOutcome(bool Promoted, string Status, string Reason);
