using Microsoft.Extensions.Logging;
using Serverless.Core.Releases;
using Serverless.Core.Runs;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>
/// The pipeline's release step: starts the candidate's release orchestration as an instance of its own (idempotent by
/// release id), since a release can wait days for an approval and the training run need not stay open that long.
/// </summary>
public sealed class LaunchRelease(IReleaseLauncher launcher, ILogger<LaunchRelease> logger) : PipelineActivity<ReleaseInput, bool>
{
    public const string Name = "LaunchRelease";

    protected override string Step => ReleaseLaunch.Step;

    protected override RunRef Subject(ReleaseInput input) => new(input.ReleaseId, input.Model);

    protected override async Task<bool> ExecuteAsync(ReleaseInput input, CancellationToken ct)
    {
        var started = await launcher.StartAsync(input, ct).ConfigureAwait(false);
        logger.LogInformation("{Detail}", ReleaseLaunch.Detail(input.Model, input.ReleaseId, input.Release.Mode));
        return started;
    }
}
