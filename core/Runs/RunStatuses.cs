namespace Serverless.Core.Runs;

/// <summary>
/// How the run list names a run's state: its orchestration status (<see cref="Pending"/> … <see cref="Canceled"/>), and
/// for a completed run what it came to (<see cref="Promoted"/>, <see cref="Registered"/>, <see cref="Quarantined"/>).
/// </summary>
public static class RunStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>Terminated through <c>POST /api/runs/{id}/cancel</c>.</summary>
    public const string Canceled = "canceled";

    public const string Promoted = "promoted";
    public const string Registered = "registered";
    public const string Quarantined = "quarantined";

    public static readonly IReadOnlyList<string> All = [Pending, Running, Completed, Failed, Canceled, Promoted, Registered, Quarantined];

    /// <summary>The filter name of a <see cref="RunOutcomes"/> value.</summary>
    public static string? OfOutcome(string? outcome) => outcome switch
    {
        RunOutcomes.Promoted => Promoted,
        RunOutcomes.Registered => Registered,
        RunOutcomes.Quarantined => Quarantined,
        _ => null,
    };
}
