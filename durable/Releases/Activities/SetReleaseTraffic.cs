using Serverless.Core.Releases;

namespace Serverless.Durable.Releases.Activities;

/// <summary>Moves the candidate's weight (or shadow) in the aliases and starts the step's bake period.</summary>
public sealed class SetReleaseTraffic(ReleaseService releases) : ReleaseActivity<ReleaseStepRequest, ReleaseRecord>
{
    public const string Name = "SetReleaseTraffic";

    protected override ReleaseInput Release(ReleaseStepRequest input) => input.Input;

    protected override Task<ReleaseRecord> ExecuteAsync(ReleaseStepRequest input, CancellationToken ct) => releases.BeginStepAsync(input, ct);
}
