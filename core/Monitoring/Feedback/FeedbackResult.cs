namespace Serverless.Core.Monitoring.Feedback;

/// <summary>What happened to a feedback submission: every rejected item is named with its reason.</summary>
public sealed record FeedbackResult(int Received, int Accepted, IReadOnlyList<FeedbackRejection> Rejected);

/// <param name="Index">Position of the item in the submission (row number for CSV drops).</param>
/// <param name="Reason">One of <see cref="FeedbackReasons"/>.</param>
public sealed record FeedbackRejection(int Index, string? PredictionId, string Reason, string Detail);

public static class FeedbackReasons
{
    public const string InvalidId = "invalid-id";
    public const string UnknownId = "unknown-id";
    public const string Late = "late";
    public const string InvalidLabel = "invalid-label";
    public const string InvalidObservedAt = "invalid-observed-at";
    public const string TooManyHours = "too-many-hours";
}
