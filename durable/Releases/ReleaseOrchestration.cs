using Microsoft.DurableTask;
using Serverless.Core.Releases;
using Serverless.Core.Specs;
using Serverless.Durable.Releases.Activities;

namespace Serverless.Durable.Releases;

/// <summary>
/// One release of one candidate, function-based and registered for both hosts like the training pipeline: canary steps
/// (weight → durable timer for the bake → guardrails), or a shadow period, or nothing (manual); an approval event
/// where required; then promotion, or a rollback with the reason. Durable timers and the event wait survive a host
/// restart; the orchestrator itself does no I/O and reads the clock only through the context.
/// </summary>
public static class ReleaseOrchestration
{
    public const string Name = "ReleaseOrchestration";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(1)));

    public static async Task<ReleaseOutcome> RunAsync(TaskOrchestrationContext context, ReleaseInput input)
    {
        try
        {
            return await StepsAsync(context, input);
        }
        catch (TaskFailedException e)
        {
            // A step failed past its retries: the candidate must not keep a share of traffic nobody watches.
            return await EndAsync(context, RollBackRelease.Name, new(input, $"release failed: {e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}"));
        }
    }

    private static async Task<ReleaseOutcome> StepsAsync(TaskOrchestrationContext context, ReleaseInput input)
    {
        var release = input.Release;
        await context.CallActivityAsync<ReleaseRecord>(StartRelease.Name, input, Retry);
        string? decidedBy = null;

        if (release.Mode == ReleaseMode.Manual)
        {
            var decision = await DecisionAsync(context, input);
            return decision.Approved
                ? await EndAsync(context, PromoteRelease.Name, new(input, Approved(decision), decision.By))
                : await EndAsync(context, RollBackRelease.Name, new(input, Rejected(decision), decision.By));
        }

        IReadOnlyList<int> steps = release.Mode == ReleaseMode.Shadow ? [0] : release.Steps;
        var approvalBefore = release.Approval == ReleaseApproval.Required ? (release.Mode == ReleaseMode.Shadow ? -1 : steps.Count - 1) : int.MaxValue;
        for (var i = 0; i < steps.Count; i++)
        {
            if (i == approvalBefore)
            {
                // Canary: the candidate keeps its last share while someone decides whether it may take all traffic.
                var decision = await DecisionAsync(context, input);
                if (!decision.Approved) return await EndAsync(context, RollBackRelease.Name, new(input, Rejected(decision), decision.By));
                decidedBy = decision.By;
            }

            var shadow = release.Mode == ReleaseMode.Shadow;
            await context.CallActivityAsync<ReleaseRecord>(SetReleaseTraffic.Name, new ReleaseStepRequest(input, steps[i], shadow), Retry);
            await BakeAsync(context, release.BakeTime);
            var verdict = await context.CallActivityAsync<GuardrailVerdict>(EvaluateGuardrails.Name, input, Retry);
            if (!verdict.Held)
            {
                var where = shadow ? "in shadow" : $"at {steps[i]} %";
                return await EndAsync(context, RollBackRelease.Name, new(input, $"guardrails breached {where}: {verdict.Breaches}", decidedBy));
            }
        }

        if (approvalBefore == -1)
        {
            var decision = await DecisionAsync(context, input);
            if (!decision.Approved) return await EndAsync(context, RollBackRelease.Name, new(input, Rejected(decision), decision.By));
            decidedBy = decision.By;
        }

        var passed = release.Mode == ReleaseMode.Shadow ? "guardrails held in shadow" : $"guardrails held at {string.Join(" → ", steps)} %";
        return await EndAsync(context, PromoteRelease.Name, new(input, passed, decidedBy));
    }

    /// <summary>
    /// A durable timer for the bake period, renewed until the orchestration's clock has passed its end: the Azure Storage
    /// backend hands a timer to the queue as a visibility delay in whole seconds (the fraction cut off), so a timer may
    /// fire up to a second early, and a bake period is a minimum.
    /// </summary>
    private static async Task BakeAsync(TaskOrchestrationContext context, TimeSpan bake)
    {
        var until = context.CurrentUtcDateTime + bake;
        do
        {
            await context.CreateTimer(until, CancellationToken.None);
        }
        while (context.CurrentUtcDateTime < until);
    }

    private static Task<ReleaseOutcome> EndAsync(TaskOrchestrationContext context, string activity, ReleaseEndRequest request) =>
        context.CallActivityAsync<ReleaseOutcome>(activity, request, Retry);

    /// <summary>Waits for approve/reject; no decision within the spec's approvalTimeout counts as a rejection.</summary>
    private static async Task<ReleaseDecision> DecisionAsync(TaskOrchestrationContext context, ReleaseInput input)
    {
        await context.CallActivityAsync<ReleaseRecord>(AwaitReleaseApproval.Name, input, Retry);
        try
        {
            return await context.WaitForExternalEvent<ReleaseDecision>(ReleaseDecision.EventName, input.Release.ApprovalTimeout);
        }
        catch (TaskCanceledException)
        {
            return new ReleaseDecision(false, null, $"no decision within {input.Release.ApprovalTimeout}");
        }
    }

    private static string Approved(ReleaseDecision d) => "approved" + (d.Reason is { } r ? ": " + r : "");

    private static string Rejected(ReleaseDecision d) => "rejected" + (d.Reason is { } r ? ": " + r : "");
}
