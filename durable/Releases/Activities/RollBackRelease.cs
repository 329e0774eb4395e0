using Serverless.Core.Releases;

namespace Serverless.Durable.Releases.Activities;

/// <summary>All traffic back to the champion, with the reason in the record and the alias history.</summary>
public sealed class RollBackRelease(ReleaseService releases) : ReleaseActivity<ReleaseEndRequest, ReleaseOutcome>
{
    public const string Name = "RollBackRelease";

    protected override ReleaseInput Release(ReleaseEndRequest input) => input.Input;

    protected override string Outcome(ReleaseOutcome result) => result.Status;

    protected override Task<ReleaseOutcome> ExecuteAsync(ReleaseEndRequest input, CancellationToken ct) => releases.RollBackAsync(input, ct);
}
