using Microsoft.Extensions.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;

namespace Serverless.Core.Releases;

/// <summary>
/// The release orchestration's steps, each idempotent (a replayed activity rewrites the same record and finds the
/// aliases already moved): start, move traffic (with the step's baseline counts), evaluate the guardrails, wait for a
/// decision, promote, or roll back with the reason in the record and the alias history.
/// </summary>
public sealed class ReleaseService(ModelRegistry registry, ReleaseStore store, PlatformStorage storage, GuardrailEvaluator guardrails, ReleaseEvents events, TimeProvider time, ILogger<ReleaseService> logger)
{
    public async Task<ReleaseRecord> StartAsync(ReleaseInput input, CancellationToken ct)
    {
        if (await store.GetAsync(input.Model, input.ReleaseId, ct).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var record = new ReleaseRecord
        {
            Id = input.ReleaseId, Model = input.Model, Candidate = input.Candidate, Champion = input.ExpectedChampion,
            Mode = input.Release.Mode, Approval = input.Release.Approval, Status = ReleaseStatus.Baking, StartedAt = time.GetUtcNow(), StartedBy = input.StartedBy,
            Release = input.Release, Overrides = input.Overrides ?? [],
        };
        await store.SaveAsync(record, ct).ConfigureAwait(false);
        await events.StartedAsync(input, ct).ConfigureAwait(false);
        logger.LogInformation("Release {Release} of {Model} v{Candidate} started ({Mode})", input.ReleaseId, input.Model, input.Candidate, input.Release.Mode);
        return record;
    }

    public async Task<ReleaseRecord> BeginStepAsync(ReleaseStepRequest request, CancellationToken ct)
    {
        var (input, percent, shadow, by) = request;
        var record = await GetAsync(input, ct).ConfigureAwait(false);
        var reason = shadow ? $"release {input.ReleaseId}: shadow" : $"release {input.ReleaseId}: {ReleaseEvents.Weighted(input)} {percent} %{(by is null ? "" : $", set by {by}")}";
        await registry.SetCandidateTrafficAsync(input.Model, input.Candidate, percent, shadow, reason, ct).ConfigureAwait(false);
        if (record.Steps is [.., var last] && last.Percent == percent && last.Shadow == shadow && last.Verdict is null)
        {
            // A retry of this step: its event may not have gone out before the failure.
            await events.StepAsync(input, record.Steps.Count, percent, shadow, ct).ConfigureAwait(false);
            return record;
        }

        // A held weight's next bake period (the last one held): the step starts again from a new baseline, with no new
        // weight to announce and no decision to hold up.
        var continued = record.Steps is [.., var previous] && previous.Percent == percent && previous.Shadow == shadow;
        var baseline = await TrafficStats.ReadAsync(storage, input.Model, input.Candidate, ct).ConfigureAwait(false);
        var step = new ReleaseStep(percent, shadow, time.GetUtcNow(), baseline)
        {
            Periods = continued ? record.Steps[^1].Periods + 1 : 1,
            PreviousVerdict = continued ? record.Steps[^1].Verdict : null,
            SetBy = by ?? (continued ? record.Steps[^1].SetBy : null),
        };
        record = record with
        {
            Status = continued ? record.Status : ReleaseStatus.Baking,
            Percent = shadow ? 0 : percent,
            Steps = [.. continued ? record.Steps.Take(record.Steps.Count - 1) : record.Steps, step],
        };
        await store.SaveAsync(record, ct).ConfigureAwait(false);
        if (!continued) await events.StepAsync(input, record.Steps.Count, percent, shadow, ct).ConfigureAwait(false);
        logger.LogInformation("Release {Release}: {Model} v{Candidate} {Reason}", input.ReleaseId, input.Model, input.Candidate, reason);
        return record;
    }

    /// <summary>The guardrails over the current step's bake period, kept on the step.</summary>
    public async Task<GuardrailVerdict> EvaluateAsync(ReleaseInput input, CancellationToken ct)
    {
        var record = await GetAsync(input, ct).ConfigureAwait(false);
        var step = record.Steps[^1];
        var verdict = await guardrails.EvaluateAsync(input, step, ct).ConfigureAwait(false);
        record = record with { Steps = [.. record.Steps.Take(record.Steps.Count - 1), step with { Verdict = verdict, EvaluatedAt = time.GetUtcNow() }] };
        await store.SaveAsync(record, ct).ConfigureAwait(false);
        logger.LogInformation("Release {Release}: guardrails {Held} after {Requests} requests", input.ReleaseId, verdict.Held ? "held" : "breached: " + verdict.Breaches, verdict.Requests);
        return verdict;
    }

    public async Task<ReleaseRecord> AwaitApprovalAsync(ReleaseInput input, CancellationToken ct)
    {
        var record = await GetAsync(input, ct).ConfigureAwait(false) with { Status = ReleaseStatus.AwaitingApproval };
        await store.SaveAsync(record, ct).ConfigureAwait(false);
        return record;
    }

    /// <summary>Candidate → champion, the split ended, in one alias write; unless the champion changed meanwhile (then rolled back).</summary>
    public async Task<ReleaseOutcome> PromoteAsync(ReleaseEndRequest request, CancellationToken ct)
    {
        var input = request.Input;
        var move = await registry.PromoteCandidateAsync(input.Model, input.Candidate, input.ExpectedChampion, $"release {input.ReleaseId}: {request.Reason}", ct).ConfigureAwait(false);
        if (!move.Moved)
        {
            return await RollBackAsync(request with { Reason = $"the champion changed from {Describe(input.ExpectedChampion)} to {Describe(move.Current)} during the release" }, ct).ConfigureAwait(false);
        }

        await FinishAsync(input, ReleaseStatus.Promoted, request.Reason, request.DecidedBy, ct).ConfigureAwait(false);
        if (move.Change is { } change)
        {
            await events.ChampionMovedAsync(input, change, ct).ConfigureAwait(false);
        }

        await events.PromotedAsync(input, move.Change, request.Reason, request.DecidedBy, ct).ConfigureAwait(false);
        logger.LogInformation("Release {Release}: {Model} v{Candidate} promoted to champion", input.ReleaseId, input.Model, input.Candidate);
        return new ReleaseOutcome(true, ReleaseStatus.Promoted, request.Reason);
    }

    public async Task<ReleaseOutcome> RollBackAsync(ReleaseEndRequest request, CancellationToken ct)
    {
        var input = request.Input;
        await registry.EndCandidateTrafficAsync(input.Model, input.Candidate, $"release {input.ReleaseId} rolled back: {request.Reason}", ct).ConfigureAwait(false);
        await FinishAsync(input, ReleaseStatus.RolledBack, request.Reason, request.DecidedBy, ct).ConfigureAwait(false);
        await events.RolledBackAsync(input, request.Reason, request.DecidedBy, ct).ConfigureAwait(false);
        PlatformTelemetry.Alerts.Add(1, new("model", input.Model), new("kind", "release_rollback"));
        logger.LogWarning("Release {Release}: {Model} v{Candidate} rolled back: {Reason}", input.ReleaseId, input.Model, input.Candidate, request.Reason);
        return new ReleaseOutcome(false, ReleaseStatus.RolledBack, request.Reason);
    }

    private async Task FinishAsync(ReleaseInput input, string status, string reason, string? decidedBy, CancellationToken ct)
    {
        var record = await GetAsync(input, ct).ConfigureAwait(false);
        await store.SaveAsync(record with { Status = status, Percent = 0, Reason = reason, DecidedBy = decidedBy ?? record.DecidedBy, FinishedAt = record.FinishedAt ?? time.GetUtcNow() }, ct).ConfigureAwait(false);
    }

    private async Task<ReleaseRecord> GetAsync(ReleaseInput input, CancellationToken ct) =>
        await store.GetAsync(input.Model, input.ReleaseId, ct).ConfigureAwait(false) ?? await StartAsync(input, ct).ConfigureAwait(false);

    private static string Describe(int? version) => version is { } v ? $"v{v}" : "none";
}
