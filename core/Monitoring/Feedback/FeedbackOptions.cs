namespace Serverless.Core.Monitoring.Feedback;

/// <summary>Bound from configuration section <c>Feedback</c>.</summary>
public sealed class FeedbackOptions
{
    public const string Section = "Feedback";

    /// <summary>
    /// Distinct prediction-log hours one submission may look ids up in. Each hour costs a listing and a read of every
    /// log file in it, so this bounds what one request can make the platform read; labels in further hours are
    /// rejected one by one (<see cref="FeedbackReasons.TooManyHours"/>) and can be sent in another request. A dropped
    /// feedback file is submitted in chunks of this many hours, so it has no such limit. Default: one day of hours.
    /// </summary>
    public int MaxLogHoursPerRequest { get; set; } = 24;

    /// <summary>
    /// How far a client's <c>observedAt</c>, or an id's embedded time, may lie ahead of this server's clock
    /// (clocks of different machines disagree a little).
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
