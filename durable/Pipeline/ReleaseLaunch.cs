using Microsoft.DurableTask;
using Serverless.Core.Releases;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Durable.Pipeline.Activities;

namespace Serverless.Durable.Pipeline;

/// <summary>The training pipeline's release step, in place of the promote step: starts the candidate's release orchestration.</summary>
public static class ReleaseLaunch
{
    public const string Step = "release";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2));

    /// <returns>The started release's id (the run id).</returns>
    public static async Task<string> StartAsync(TaskOrchestrationContext context, PipelineInput run, ModelSpec spec, int version, int? champion)
    {
        var input = new ReleaseInput(run.Model, run.RunId, version, champion, spec);
        await context.CallActivityAsync<bool>(LaunchRelease.Name, input, Retry);
        return input.ReleaseId;
    }

    public static string Detail(string model, string releaseId, ReleaseMode mode) =>
        $"{mode.ToString().ToLowerInvariant()} release {releaseId} started: GET /api/models/{model}/releases/{releaseId}";
}
