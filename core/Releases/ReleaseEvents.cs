using Serverless.Core.Registry;
using Serverless.Core.Registry.Events;

namespace Serverless.Core.Releases;

/// <summary>
/// A release's registry events, raised by <see cref="ReleaseService"/> after each write they describe. An activity that is
/// retried raises its event again (a new <c>id</c>, the same <c>subject</c>): subscribers de-duplicate release events on
/// type and subject. Hosts without <see cref="RegistryEvents"/> (none of the platform's) publish nothing.
/// </summary>
public sealed class ReleaseEvents(RegistryEvents? events = null)
{
    public static string Subject(string model, string releaseId) => $"models/{model}/releases/{releaseId}";

    /// <summary>What a weight step is called in reasons: "hold" for a held release, else "canary".</summary>
    public static string Weighted(ReleaseInput input) => input.Release.Mode == Specs.ReleaseMode.Hold ? "hold" : "canary";

    public Task StartedAsync(ReleaseInput input, CancellationToken ct) =>
        RaiseAsync(RegistryEventTypes.ReleaseStarted, Subject(input.Model, input.ReleaseId), Change(input, $"{input.Release.Mode.ToString().ToLowerInvariant()} release of v{input.Candidate}", input.StartedBy), ct);

    /// <param name="step">1 for the first step.</param>
    public Task StepAsync(ReleaseInput input, int step, int percent, bool shadow, CancellationToken ct) =>
        RaiseAsync(
            RegistryEventTypes.ReleaseStep,
            $"{Subject(input.Model, input.ReleaseId)}/steps/{step}",
            Change(input, shadow ? "shadow" : $"{Weighted(input)} {percent} %", null) with { Percent = shadow ? 0 : percent },
            ct);

    public Task PromotedAsync(ReleaseInput input, AliasChange? championMove, string reason, string? by, CancellationToken ct) =>
        RaiseAsync(RegistryEventTypes.ReleasePromoted, Subject(input.Model, input.ReleaseId), Change(input, reason, by) with
        {
            Alias = ModelAliases.Champion,
            PreviousVersion = championMove?.PreviousVersion ?? input.ExpectedChampion,
            Percent = 100,
        }, ct);

    public Task RolledBackAsync(ReleaseInput input, string reason, string? by, CancellationToken ct) =>
        RaiseAsync(RegistryEventTypes.ReleaseRolledBack, Subject(input.Model, input.ReleaseId), Change(input, reason, by) with { Percent = 0 }, ct);

    /// <summary>The champion's move by a promotion, as every other alias move is published.</summary>
    public Task ChampionMovedAsync(ReleaseInput input, AliasChange move, CancellationToken ct) =>
        RaiseAsync(
            RegistryEventTypes.AliasMoved,
            $"models/{input.Model}/aliases/{ModelAliases.Champion}",
            new RegistryChange(input.Model, move.Version, ModelAliases.Champion, move.PreviousVersion, move.Reason, move.By, input.ReleaseId),
            ct);

    private static RegistryChange Change(ReleaseInput input, string reason, string? by) =>
        new(input.Model, input.Candidate, ModelAliases.Candidate, input.ExpectedChampion, reason, by, input.ReleaseId);

    private Task RaiseAsync(string type, string subject, RegistryChange change, CancellationToken ct) =>
        events is null ? Task.CompletedTask : events.RaiseAsync(type, subject, change, ct);
}
