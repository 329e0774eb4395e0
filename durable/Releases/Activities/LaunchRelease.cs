using Serverless.Core.Releases;

namespace Serverless.Durable.Releases.Activities;

/// <summary>
/// Starts the release orchestration of a run's candidate as an instance of its own (idempotent by release id): a
/// release can wait days for an approval, and the training run need not stay open that long.
/// </summary>
public sealed class LaunchRelease(IReleaseLauncher launcher) : ReleaseActivity<ReleaseInput, bool>
{
    public const string Name = "LaunchRelease";

    protected override ReleaseInput Release(ReleaseInput input) => input;

    protected override Task<bool> ExecuteAsync(ReleaseInput input, CancellationToken ct) => launcher.StartAsync(input, ct);
}
