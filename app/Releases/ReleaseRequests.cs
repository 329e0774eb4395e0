using System.Text.Json;
using Serverless.Core;
using Serverless.Core.Registry;
using Serverless.Core.Releases;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.App.Releases;

/// <summary>
/// The release routes' application service: start a release of a registered version under the stored spec's
/// <c>release</c> section, read releases, and hand an approval or rejection to a release that waits for one.
/// </summary>
public sealed class ReleaseRequests(ModelRegistry registry, ReleaseStore store, PlatformStorage storage, IReleaseLauncher launcher, TimeProvider time)
{
    /// <summary>A decision body (<c>{"reason": "…"}</c>) is small.</summary>
    public const int MaxDecisionBytes = 4 * 1024;

    /// <summary>Release settings (a few keys of the spec's release section) are small too.</summary>
    public const int MaxSettingsBytes = 16 * 1024;

    private readonly ModelSpecStore _specs = new(storage);

    public static bool IsValidReleaseId(string id) =>
        id.Length is > 0 and <= 200 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// Starts a release of <paramref name="version"/> under the stored spec's <c>release</c> section, with the keys of
    /// <paramref name="body"/> (empty: none) overriding it for this release only (<see cref="ReleaseOverride"/>).
    /// </summary>
    public async Task<Outcome<ReleaseStarted>> StartAsync(string model, int version, byte[] body, string by, CancellationToken ct)
    {
        var parsed = await _specs.TryLoadAsync(model, ct).ConfigureAwait(false);
        if (parsed is null)
        {
            return new Outcome<ReleaseStarted>.NotFound($"Model '{model}' has no spec; its release section says how to release.");
        }

        if (!parsed.IsValid)
        {
            return new Outcome<ReleaseStarted>.InvalidSpec($"The stored spec of '{model}' has problems; PUT a corrected spec.", parsed.Problems, Stored: true);
        }

        var overridden = ReleaseOverride.Apply(parsed.Spec!, body);
        if (overridden.Spec is not { } spec)
        {
            return new Outcome<ReleaseStarted>.InvalidSpec($"The release settings have {overridden.Problems.Count} problem(s); paths are the body's.", overridden.Problems, Stored: false);
        }

        if (spec.Release.Mode == ReleaseMode.Auto)
        {
            return new Outcome<ReleaseStarted>.Invalid("The release mode is auto.", [new FieldError(-1, "mode", "auto promotes at once; set canary, shadow, manual or hold in the spec's release section or the body's mode, or use …/promote.")]);
        }

        if (await registry.GetCardAsync(model, version, ct).ConfigureAwait(false) is null)
        {
            return new Outcome<ReleaseStarted>.NotFound($"Model '{model}' has no version {version}.");
        }

        var aliases = await registry.GetAliasesAsync(model, ct).ConfigureAwait(false);
        var champion = aliases.Get(ModelAliases.Champion);
        if (champion == version)
        {
            return new Outcome<ReleaseStarted>.Conflict("Already champion", $"v{version} is already the champion of '{model}'.");
        }

        if (aliases.Get(ModelAliases.Candidate) is { } busy)
        {
            return new Outcome<ReleaseStarted>.Conflict("Release in progress", $"v{busy} of '{model}' is being released; wait for it to finish (or reject it).");
        }

        var id = $"v{version}-{time.GetUtcNow():yyyyMMddHHmmssfff}";
        var input = new ReleaseInput(model, id, version, champion, spec, by, overridden.Keys);
        await launcher.StartAsync(input, ct).ConfigureAwait(false);
        return new ReleaseStarted(model, id, version, champion, spec.Release.Mode.ToString().ToLowerInvariant(), $"/api/models/{model}/releases/{id}")
        {
            Release = spec.Release,
            Overrides = overridden.Keys,
        };
    }

    public async Task<Outcome<ReleaseRecord>> GetAsync(string model, string releaseId, CancellationToken ct) =>
        await store.GetAsync(model, releaseId, ct).ConfigureAwait(false) is { } record
            ? record
            : new Outcome<ReleaseRecord>.NotFound($"Model '{model}' has no release '{releaseId}'.");

    public async Task<Outcome<IReadOnlyList<ReleaseRecord>>> ListAsync(string model, CancellationToken ct) =>
        new Outcome<IReadOnlyList<ReleaseRecord>>.Done(await store.ListAsync(model, ct).ConfigureAwait(false));

    /// <summary>Approves or rejects a release that waits for a decision; the record shows the result once the release has acted.</summary>
    public async Task<Outcome<ReleaseRecord>> DecideAsync(string model, string releaseId, bool approved, byte[] body, string by, CancellationToken ct)
    {
        string? reason = null;
        if (body.Length > 0)
        {
            try
            {
                reason = JsonSerializer.Deserialize<DecisionBody>(body, PlatformJson.Options)?.Reason;
            }
            catch (JsonException e)
            {
                return new Outcome<ReleaseRecord>.Invalid("Malformed JSON.", [new FieldError(-1, "reason", e.Message)]);
            }
        }

        var record = await store.GetAsync(model, releaseId, ct).ConfigureAwait(false);
        if (record is null)
        {
            return new Outcome<ReleaseRecord>.NotFound($"Model '{model}' has no release '{releaseId}'.");
        }

        if (record.Status != ReleaseStatus.AwaitingApproval)
        {
            return new Outcome<ReleaseRecord>.Conflict("Not awaiting approval", $"Release '{releaseId}' is {record.Status}; only a release awaiting approval takes a decision.");
        }

        await launcher.RaiseDecisionAsync(model, releaseId, new ReleaseDecision(approved, by, reason), ct).ConfigureAwait(false);
        return record;
    }

    /// <summary>Moves a held release's candidate to another weight; it is judged from there at the end of a new bake period.</summary>
    public async Task<Outcome<ReleaseRecord>> ChangeTrafficAsync(string model, string releaseId, byte[] body, string by, CancellationToken ct)
    {
        int? percent;
        try
        {
            percent = body.Length == 0 ? null : JsonSerializer.Deserialize<TrafficBody>(body, PlatformJson.Options)?.Percent;
        }
        catch (JsonException e)
        {
            return new Outcome<ReleaseRecord>.Invalid("Malformed JSON.", [new FieldError(-1, "percent", e.Message)]);
        }

        if (percent is not (>= 1 and <= 100))
        {
            return new Outcome<ReleaseRecord>.Invalid("Invalid percent.", [new FieldError(-1, "percent", $"The candidate's share of keyed traffic: an integer within [1, 100]; got {percent?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.")]);
        }

        var record = await store.GetAsync(model, releaseId, ct).ConfigureAwait(false);
        if (record is null)
        {
            return new Outcome<ReleaseRecord>.NotFound($"Model '{model}' has no release '{releaseId}'.");
        }

        if (record.Mode != ReleaseMode.Hold || record.Status != ReleaseStatus.AwaitingApproval)
        {
            return new Outcome<ReleaseRecord>.Conflict("Not holding", $"Release '{releaseId}' is a {record.Mode.ToString().ToLowerInvariant()} release, {record.Status}; only a hold release holding its weight takes a new one.");
        }

        await launcher.RaiseTrafficChangeAsync(model, releaseId, new ReleaseTrafficChange(percent.Value, by), ct).ConfigureAwait(false);
        return record;
    }

    private sealed record DecisionBody(string? Reason);

    private sealed record TrafficBody(int? Percent);
}
