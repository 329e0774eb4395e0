using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Core.Releases;
using Serverless.Durable.Releases;
using Serverless.Durable.Pipeline.Activities;
using Serverless.Durable.Releases.Activities;

namespace Serverless.Functions.Releases;

/// <summary>The Functions face of <see cref="ReleaseTasks"/>: one orchestration and one activity trigger per entry, as for the pipeline.</summary>
public sealed class ReleaseFunctions(
    StartRelease start,
    SetReleaseTraffic traffic,
    EvaluateGuardrails evaluate,
    AwaitReleaseApproval awaitApproval,
    PromoteRelease promote,
    RollBackRelease rollBack)
{
    [Function(ReleaseOrchestration.Name)]
    public static Task<ReleaseOutcome> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) => ReleaseOrchestration.RunAsync(context, context.GetInput<ReleaseInput>()!);

    [Function(LaunchRelease.Name)]
    public static Task<bool> Launch([ActivityTrigger] ReleaseInput input, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        new LaunchRelease(new DurableReleaseLauncher(client), context.GetLogger<LaunchRelease>()).RunAsync(input, context.CancellationToken);

    [Function(StartRelease.Name)]
    public Task<ReleaseRecord> Start([ActivityTrigger] ReleaseInput input, FunctionContext context) => start.RunAsync(input, context.CancellationToken);

    [Function(SetReleaseTraffic.Name)]
    public Task<ReleaseRecord> Traffic([ActivityTrigger] ReleaseStepRequest request, FunctionContext context) => traffic.RunAsync(request, context.CancellationToken);

    [Function(EvaluateGuardrails.Name)]
    public Task<GuardrailVerdict> Evaluate([ActivityTrigger] ReleaseInput input, FunctionContext context) => evaluate.RunAsync(input, context.CancellationToken);

    [Function(AwaitReleaseApproval.Name)]
    public Task<ReleaseRecord> AwaitApproval([ActivityTrigger] ReleaseInput input, FunctionContext context) => awaitApproval.RunAsync(input, context.CancellationToken);

    [Function(PromoteRelease.Name)]
    public Task<ReleaseOutcome> Promote([ActivityTrigger] ReleaseEndRequest request, FunctionContext context) => promote.RunAsync(request, context.CancellationToken);

    [Function(RollBackRelease.Name)]
    public Task<ReleaseOutcome> RollBack([ActivityTrigger] ReleaseEndRequest request, FunctionContext context) => rollBack.RunAsync(request, context.CancellationToken);
}
