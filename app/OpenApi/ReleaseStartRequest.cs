using Serverless.Core.Specs;

namespace Serverless.App.OpenApi;

/// <summary>
/// The documented (optional) body of starting a release: any keys of the spec's <c>release</c> section, each replacing
/// the spec's value for this release only, under the spec's rules.
/// </summary>
public sealed record ReleaseStartRequest(
    ReleaseMode? Mode,
    IReadOnlyList<int>? Steps,
    TimeSpan? BakeTime,
    ReleaseGuardrails? Guardrails,
    ReleaseApproval? Approval,
    TimeSpan? ApprovalTimeout,
    string? RoutingKey);
