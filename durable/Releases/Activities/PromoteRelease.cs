using Serverless.Core.Releases;

namespace Serverless.Durable.Releases.Activities;

/// <summary>Candidate → champion and the split ended, in one alias write.</summary>
public sealed class PromoteRelease(ReleaseService releases) : ReleaseActivity<ReleaseEndRequest, ReleaseOutcome>
{
    public const string Name = "PromoteRelease";

    protected override ReleaseInput Release(ReleaseEndRequest input) => input.Input;

    protected override string Outcome(ReleaseOutcome result) => result.Status;

    protected override Task<ReleaseOutcome> ExecuteAsync(ReleaseEndRequest input, CancellationToken ct) => releases.PromoteAsync(input, ct);
}
