namespace Serverless.Core.Specs;

/// <summary>How a candidate that passed its gate is released (spec <c>release</c>); left out, it is promoted at once.</summary>
public sealed record ReleaseSpec
{
    public static readonly IReadOnlyList<int> DefaultSteps = [10, 50, 100];

    public ReleaseMode Mode { get; init; } = ReleaseMode.Auto;

    /// <summary>Canary: percentages of keyed traffic, increasing, the last 100.</summary>
    public IReadOnlyList<int> Steps { get; init; } = DefaultSteps;

    /// <summary>How long each step (or the shadow period) runs before its guardrails are evaluated.</summary>
    public TimeSpan BakeTime { get; init; } = TimeSpan.FromMinutes(10);

    public ReleaseGuardrails Guardrails { get; init; } = new();

    public ReleaseApproval Approval { get; init; } = ReleaseApproval.None;

    /// <summary>How long an approval may take before the release is rolled back.</summary>
    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A request field whose value (in the first row) keeps one entity on one version when the request has no
    /// <c>x-routing-key</c> header; null: the header only.
    /// </summary>
    public string? RoutingKey { get; init; }
}
