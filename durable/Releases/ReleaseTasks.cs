using Microsoft.DurableTask;
using Serverless.Core.Releases;
using Serverless.Durable.Pipeline;
using Serverless.Durable.Releases.Activities;

namespace Serverless.Durable.Releases;

/// <summary>
/// The release orchestration and its activities, beside <see cref="PipelineTasks"/> (the pipeline only starts a release,
/// by name): the local host registers both lists, the Functions project has one trigger per entry of each.
/// </summary>
public static class ReleaseTasks
{
    public static readonly IReadOnlyList<string> Orchestrations = [ReleaseOrchestration.Name];

    public static readonly IReadOnlyList<string> Activities =
        [StartRelease.Name, SetReleaseTraffic.Name, EvaluateGuardrails.Name, AwaitReleaseApproval.Name, PromoteRelease.Name, RollBackRelease.Name];

    public static void AddReleaseTasks(this DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<ReleaseInput, ReleaseOutcome>(ReleaseOrchestration.Name, ReleaseOrchestration.RunAsync);
        PipelineTasks.Add<StartRelease>(registry, StartRelease.Name);
        PipelineTasks.Add<SetReleaseTraffic>(registry, SetReleaseTraffic.Name);
        PipelineTasks.Add<EvaluateGuardrails>(registry, EvaluateGuardrails.Name);
        PipelineTasks.Add<AwaitReleaseApproval>(registry, AwaitReleaseApproval.Name);
        PipelineTasks.Add<PromoteRelease>(registry, PromoteRelease.Name);
        PipelineTasks.Add<RollBackRelease>(registry, RollBackRelease.Name);
    }
}
