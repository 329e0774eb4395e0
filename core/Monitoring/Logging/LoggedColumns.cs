namespace Serverless.Core.Monitoring.Logging;

/// <summary>
/// Columns of a prediction log file besides the model's raw inputs. The <c>__</c> prefix is reserved (specs
/// cannot name a feature that way), so they never collide with a feature.
/// </summary>
public static class LoggedColumns
{
    public const string Id = "__id";
    public const string RequestId = "__request_id";
    public const string Timestamp = "__ts";
    public const string Version = "__version";
    public const string Label = "__label";
    public const string Score = "__score";
    public const string Probabilities = "__probabilities";

    /// <summary>Feedback files: the observed outcome and when it was observed / received.</summary>
    public const string Observed = "__observed";
    public const string ObservedAt = "__observed_at";
    public const string ReceivedAt = "__received_at";
}
