using Serverless.Core.Releases;

namespace Serverless.Durable.Releases.Activities;

/// <summary>Marks the release as waiting for a decision, so the approve/reject routes accept one.</summary>
public sealed class AwaitReleaseApproval(ReleaseService releases) : ReleaseActivity<ReleaseInput, ReleaseRecord>
{
    public const string Name = "AwaitReleaseApproval";

    protected override ReleaseInput Release(ReleaseInput input) => input;

    protected override Task<ReleaseRecord> ExecuteAsync(ReleaseInput input, CancellationToken ct) => releases.AwaitApprovalAsync(input, ct);
}
