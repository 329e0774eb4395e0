using Microsoft.DurableTask;
using Serverless.Core.Releases;
using Serverless.Core.Specs;
using Serverless.Durable.Releases.Activities;

namespace Serverless.Durable.Releases;

/// <summary>
/// One release of one candidate, function-based and registered for both hosts like the training pipeline: canary steps
/// (weight → durable timer for the bake → guardrails), or a shadow period, or nothing (manual), or a held weight
/// judged every period until a decision (hold); an approval event where required; then promotion, or a rollback with
/// the reason. Durable timers and the event wait survive a host restart; the orchestrator itself does no I/O and reads
/// the clock only through the context.
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
        var hold = release.Mode == ReleaseMode.Hold;
        var approvalBefore = release.Approval == ReleaseApproval.Required && !hold ? (release.Mode == ReleaseMode.Shadow ? -1 : steps.Count - 1) : int.MaxValue;

        // A hold climbs its steps like a canary, then holds the last one until a decision.
        for (var i = 0; i < (hold ? steps.Count - 1 : steps.Count); i++)
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

        if (hold)
        {
            return await HoldAsync(context, input, steps[^1]);
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
    /// Holds the candidate at <paramref name="percent"/> until approve (champion) or reject, judging the guardrails at the
    /// end of every bake period (a breach rolls back; past approvalTimeout, rejected). An operator's traffic change
    /// moves the weight and starts a new period.
    /// </summary>
    private static async Task<ReleaseOutcome> HoldAsync(TaskOrchestrationContext context, ReleaseInput input, int percent)
    {
        var release = input.Release;
        var deadline = context.CurrentUtcDateTime + release.ApprovalTimeout;
        await context.CallActivityAsync<ReleaseRecord>(SetReleaseTraffic.Name, new ReleaseStepRequest(input, percent, false), Retry);
        await context.CallActivityAsync<ReleaseRecord>(AwaitReleaseApproval.Name, input, Retry);
        var decision = context.WaitForExternalEvent<ReleaseDecision>(ReleaseDecision.EventName);
        var change = context.WaitForExternalEvent<ReleaseTrafficChange>(ReleaseTrafficChange.EventName);
        while (true)
        {
            using var period = new CancellationTokenSource();
            var bake = BakeAsync(context, release.BakeTime, period.Token);
            var first = await Task.WhenAny(decision, change, bake);
            if (first == decision)
            {
                period.Cancel();
                var d = await decision;
                return d.Approved
                    ? await EndAsync(context, PromoteRelease.Name, new(input, $"{Approved(d)} (held at {percent} %)", d.By))
                    : await EndAsync(context, RollBackRelease.Name, new(input, Rejected(d), d.By));
            }

            if (first == change)
            {
                period.Cancel();
                var moved = await change;
                percent = moved.Percent;
                change = context.WaitForExternalEvent<ReleaseTrafficChange>(ReleaseTrafficChange.EventName);
                await context.CallActivityAsync<ReleaseRecord>(SetReleaseTraffic.Name, new ReleaseStepRequest(input, percent, false, moved.By), Retry);
                await context.CallActivityAsync<ReleaseRecord>(AwaitReleaseApproval.Name, input, Retry);
                continue;
            }

            var verdict = await context.CallActivityAsync<GuardrailVerdict>(EvaluateGuardrails.Name, input, Retry);
            if (!verdict.Held)
            {
                return await EndAsync(context, RollBackRelease.Name, new(input, $"guardrails breached at {percent} %: {verdict.Breaches}"));
            }

            if (context.CurrentUtcDateTime >= deadline)
            {
                return await EndAsync(context, RollBackRelease.Name, new(input, $"rejected: no decision within {release.ApprovalTimeout}"));
            }

            // The next period at the same weight, judged on its own traffic.
            await context.CallActivityAsync<ReleaseRecord>(SetReleaseTraffic.Name, new ReleaseStepRequest(input, percent, false), Retry);
        }
    }

    /// <summary>
    /// A durable timer for the bake period, renewed until the orchestration's clock has passed its end: the Azure Storage
    /// backend hands a timer to the queue as a visibility delay in whole seconds (the fraction cut off), so a timer may
    /// fire up to a second early, and a bake period is a minimum.
    /// </summary>
    private static async Task BakeAsync(TaskOrchestrationContext context, TimeSpan bake, CancellationToken cancel = default)
    {
        var until = context.CurrentUtcDateTime + bake;
        do
        {
            await context.CreateTimer(until, cancel);
        }
        while (context.CurrentUtcDateTime < until && !cancel.IsCancellationRequested);
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
