using Microsoft.DurableTask;
using Serverless.Core.Releases;
using Serverless.Core.Runs;
using Serverless.Core.Specs;

namespace Serverless.Durable.Releases;

/// <summary>The training pipeline's release step: the release orchestration as a sub-orchestration in place of the promote step.</summary>
public static class ReleaseHook
{
    public const string Step = "release";

    public static Task<ReleaseOutcome> RunAsync(TaskOrchestrationContext context, PipelineInput run, ModelSpec spec, int version, int? champion)
    {
        var input = new ReleaseInput(run.Model, run.RunId, version, champion, spec);
        return context.CallSubOrchestratorAsync<ReleaseOutcome>(ReleaseOrchestration.Name, input, new SubOrchestrationOptions { InstanceId = input.InstanceId });
    }

    public static string Detail(ReleaseOutcome outcome) => $"release {outcome.Status}: {outcome.Reason}";
}
