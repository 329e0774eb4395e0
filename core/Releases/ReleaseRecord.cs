using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Core.Releases;

/// <summary>
/// A release as <c>GET …/releases/{id}</c> shows it, stored at <c>registry/{model}/releases/{id}.json</c> by the
/// orchestration's activities: each step with its guardrail verdict, and how it ended and why.
/// </summary>
public sealed record ReleaseRecord
{
    public required string Id { get; init; }

    public required string Model { get; init; }

    public required int Candidate { get; init; }

    public int? Champion { get; init; }

    public required ReleaseMode Mode { get; init; }

    public required ReleaseApproval Approval { get; init; }

    public required string Status { get; init; }

    /// <summary>The candidate's share of keyed traffic now (0 in shadow, manual, or once finished).</summary>
    public int Percent { get; init; }

    public IReadOnlyList<ReleaseStep> Steps { get; init; } = [];

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why it ended: the breached guardrails of a rollback, a rejection's reason, or the promotion.</summary>
    public string? Reason { get; init; }

    /// <summary>Who approved or rejected it, when someone did.</summary>
    public string? DecidedBy { get; init; }

    public string? StartedBy { get; init; }

    /// <summary>The release settings in effect: the spec's section with the keys in <see cref="Overrides"/> set by <see cref="StartedBy"/>.</summary>
    public ReleaseSpec? Release { get; init; }

    /// <summary>The release keys the operator set when starting it; empty: all from the spec.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];
}

/// <param name="Baseline">Every host's counts for the candidate when the step (or its latest period) began; the step's traffic is what was added since.</param>
public sealed record ReleaseStep(int Percent, bool Shadow, DateTimeOffset StartedAt, IReadOnlyList<VersionTrafficCounts> Baseline, GuardrailVerdict? Verdict = null, DateTimeOffset? EvaluatedAt = null)
{
    /// <summary>
    /// Bake periods at this weight: more than 1 for a held weight, whose next period replaces the step (the verdict is the
    /// latest period's; the ones before held) so the record stays small however long the hold.
    /// </summary>
    public int Periods { get; init; } = 1;

    /// <summary>A held weight's previous period's verdict (it held), shown while the current period bakes.</summary>
    public GuardrailVerdict? PreviousVerdict { get; init; }

    /// <summary>Who moved a held release to this weight (<c>POST …/traffic</c>); null for the release's own steps.</summary>
    public string? SetBy { get; init; }
}
