using Serverless.Core.Storage;

namespace Serverless.Core.Registry;

/// <summary>A release's traffic: the <c>candidate</c> alias with its weight or shadow flag, kept beside the champion.</summary>
public sealed partial class ModelRegistry
{
    /// <summary>
    /// Points <c>candidate</c> at <paramref name="version"/> with <paramref name="percent"/> of keyed traffic, or as a
    /// shadow (scores copies, answers nothing). Idempotent: a retried call finds the same state and writes nothing.
    /// </summary>
    public Task<ModelAliases> SetCandidateTrafficAsync(string model, int version, int percent, bool shadow, string reason, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        return UpdateTrafficAsync(model, version, current =>
        {
            var weight = shadow ? 0 : percent;
            if (current.Get(ModelAliases.Candidate) == version && current.Weights.GetValueOrDefault(ModelAliases.Candidate) == weight
                && current.Shadows.Contains(ModelAliases.Candidate) == shadow)
            {
                return null;
            }

            return current with
            {
                Aliases = new Dictionary<string, int>(current.Aliases) { [ModelAliases.Candidate] = version },
                Weights = shadow ? new Dictionary<string, int>() : new Dictionary<string, int> { [ModelAliases.Candidate] = percent },
                Shadows = shadow ? [ModelAliases.Candidate] : [],
                History = [.. current.History, new AliasChange(ModelAliases.Candidate, version, current.Get(ModelAliases.Candidate), time.GetUtcNow(), reason, null, weight)],
            };
        }, ct);
    }

    /// <summary>Takes all traffic away from the candidate (a rollback or a rejection); the champion answers everything.</summary>
    public Task<ModelAliases> EndCandidateTrafficAsync(string model, int version, string reason, CancellationToken ct) =>
        UpdateTrafficAsync(model, version, current => current.Get(ModelAliases.Candidate) != version ? null : WithoutCandidate(current) with
        {
            History = [.. current.History, new AliasChange(ModelAliases.Candidate, version, version, time.GetUtcNow(), reason, null, 0)],
        }, ct);

    /// <summary>
    /// Makes the candidate champion and ends its split in one write, only if the champion is still
    /// <paramref name="expectedChampion"/> (a manual promotion meanwhile wins). Already champion counts as moved.
    /// </summary>
    public async Task<AliasMove> PromoteCandidateAsync(string model, int version, int? expectedChampion, string reason, CancellationToken ct)
    {
        AliasMove? move = null;
        await UpdateTrafficAsync(model, version, current =>
        {
            var champion = current.Get(ModelAliases.Champion);
            if (champion == version)
            {
                move = new AliasMove(true, version, null);
                return current.Get(ModelAliases.Candidate) == version ? WithoutCandidate(current) : null;
            }

            if (champion != expectedChampion)
            {
                move = new AliasMove(false, champion, null);
                return null;
            }

            var change = new AliasChange(ModelAliases.Champion, version, champion, time.GetUtcNow(), reason);
            move = new AliasMove(true, version, change);
            var promoted = WithoutCandidate(current);
            return promoted with
            {
                Aliases = new Dictionary<string, int>(promoted.Aliases) { [ModelAliases.Champion] = version },
                History = [.. current.History, change],
            };
        }, ct).ConfigureAwait(false);
        return move!;
    }

    private static ModelAliases WithoutCandidate(ModelAliases current)
    {
        var aliases = new Dictionary<string, int>(current.Aliases);
        aliases.Remove(ModelAliases.Candidate);
        return current with { Aliases = aliases, Weights = new Dictionary<string, int>(), Shadows = [] };
    }

    /// <summary>Applies <paramref name="update"/> (null: nothing to write) under the aliases' ETag, retrying on a concurrent write.</summary>
    private async Task<ModelAliases> UpdateTrafficAsync(string model, int version, Func<ModelAliases, ModelAliases?> update, CancellationToken ct)
    {
        if (await GetCardAsync(model, version, ct).ConfigureAwait(false) is null)
        {
            throw new KeyNotFoundException($"Model '{model}' has no version {version}.");
        }

        var blob = Container.GetBlobClient(BlobLayout.RegistryAliases(model));
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (current, etag) = await ReadAliasesAsync(model, ct).ConfigureAwait(false);
            if (update(current) is not { } updated)
            {
                return current;
            }

            if (await BlobJson.TryReplaceAsync(blob, updated, etag, ct).ConfigureAwait(false))
            {
                return updated;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * (attempt + 1))), time, ct).ConfigureAwait(false);
        }

        throw new RegistryConflictException($"aliases.json of '{model}' kept changing under concurrent writers; gave up after {MaxAttempts} attempts. Retry the request.");
    }
}
