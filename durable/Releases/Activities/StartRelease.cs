using Serverless.Core.Releases;

namespace Serverless.Durable.Releases.Activities;

/// <summary>Writes the release record (or finds it, on a retry).</summary>
public sealed class StartRelease(ReleaseService releases) : ReleaseActivity<ReleaseInput, ReleaseRecord>
{
    public const string Name = "StartRelease";

    protected override ReleaseInput Release(ReleaseInput input) => input;

    protected override Task<ReleaseRecord> ExecuteAsync(ReleaseInput input, CancellationToken ct) => releases.StartAsync(input, ct);
}
