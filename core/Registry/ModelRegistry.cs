using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Core.Registry.Events;
using Serverless.Core.Storage;

namespace Serverless.Core.Registry;

/// <summary>
/// Versioned models in blob storage: <c>registry/{model}/versions/{n}/model.onnx + card.json</c> and
/// <c>registry/{model}/aliases.json</c>. Version numbers are claimed with a create-only upload, so concurrent
/// runs never share one; aliases are updated with ETag optimistic concurrency. Each change is published through
/// <paramref name="events"/> (when given) after the write succeeded.
/// </summary>
public sealed partial class ModelRegistry(PlatformStorage storage, TimeProvider time, RegistryEvents? events = null)
{
    private const string RunIdMetadata = "runid";
    private const int MaxAttempts = 20;

    private BlobContainerClient Container => storage.Registry;

    /// <summary>
    /// Registers <paramref name="onnx"/> as the next version. Idempotent per run id: a retried activity finds the
    /// version it claimed before and completes it instead of claiming another.
    /// </summary>
    public async Task<int> RegisterAsync(ModelCard card, byte[] onnx, CancellationToken ct)
    {
        var model = card.Model;
        await ModelArchive.EnsureWritableAsync(Container, model, ct).ConfigureAwait(false);
        var existing = await ListClaimsAsync(model, ct).ConfigureAwait(false);
        var version = existing.FirstOrDefault(c => c.RunId == card.RunId)?.Version;
        var sha256 = ModelIntegrity.Sha256(onnx);
        if (version is not null)
        {
            // A retry completes the version it claimed before: the card must fingerprint the bytes stored then.
            sha256 = ModelIntegrity.Sha256(await GetModelAsync(model, version.Value, ct).ConfigureAwait(false));
        }
        else
        {
            var candidate = existing.Count == 0 ? 1 : existing.Max(c => c.Version) + 1;
            for (var attempt = 0; version is null; attempt++)
            {
                if (attempt == MaxAttempts)
                {
                    throw new RegistryConflictException($"Could not claim a version number for '{model}' after {MaxAttempts} attempts.");
                }

                try
                {
                    await Container.GetBlobClient(BlobLayout.RegistryModel(model, candidate)).UploadAsync(
                        new BinaryData(onnx),
                        new BlobUploadOptions
                        {
                            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                            Metadata = new Dictionary<string, string> { [RunIdMetadata] = card.RunId },
                            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
                        },
                        ct).ConfigureAwait(false);
                    version = candidate;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    candidate++;
                }
            }
        }

        await BlobJson.UploadAsync(Container.GetBlobClient(BlobLayout.RegistryCard(model, version.Value)), card with { Version = version.Value, ModelSha256 = sha256 }, ct)
            .ConfigureAwait(false);
        await RaiseAsync(RegistryEventTypes.VersionRegistered, $"models/{model}/versions/{version.Value}", new RegistryChange(model, version.Value, Reason: $"run {card.RunId}"), ct)
            .ConfigureAwait(false);
        return version.Value;
    }

    public async Task<ModelCard?> GetCardAsync(string model, int version, CancellationToken ct) =>
        await BlobJson.TryDownloadAsync<ModelCard>(Container.GetBlobClient(BlobLayout.RegistryCard(model, version)), ct).ConfigureAwait(false);

    public async Task<byte[]> GetModelAsync(string model, int version, CancellationToken ct)
    {
        var content = await Container.GetBlobClient(BlobLayout.RegistryModel(model, version)).DownloadContentAsync(ct).ConfigureAwait(false);
        return content.Value.Content.ToArray();
    }

    /// <summary>Completed versions (those with a card), oldest first, with the aliases pointing at each.</summary>
    public async Task<IReadOnlyList<ModelVersionInfo>> ListVersionsAsync(string model, CancellationToken ct)
    {
        var aliases = await GetAliasesAsync(model, ct).ConfigureAwait(false);
        var result = new List<ModelVersionInfo>();
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobLayout.RegistryVersionPrefix(model) }, ct).ConfigureAwait(false))
        {
            if (!item.Name.EndsWith("/card.json", StringComparison.Ordinal))
            {
                continue;
            }

            var card = await BlobJson.TryDownloadAsync<ModelCard>(Container.GetBlobClient(item.Name), ct).ConfigureAwait(false);
            if (card is not null)
            {
                result.Add(new ModelVersionInfo(
                    card.Version,
                    card,
                    aliases.Aliases.Where(a => a.Value == card.Version).Select(a => a.Key).Order(StringComparer.Ordinal).ToList()));
            }
        }

        result.Sort((a, b) => a.Version.CompareTo(b.Version));
        return result;
    }

    /// <summary>Model names that have at least one registry entry or spec.</summary>
    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken ct)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var item in Container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/" }, ct).ConfigureAwait(false))
        {
            if (item.IsPrefix)
            {
                names.Add(item.Prefix.TrimEnd('/'));
            }
        }

        await foreach (var item in storage.Models.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/" }, ct).ConfigureAwait(false))
        {
            if (item.IsPrefix)
            {
                names.Add(item.Prefix.TrimEnd('/'));
            }
        }

        return names.ToList();
    }

    /// <summary>The model's archive record, or null while it is writable.</summary>
    public Task<ModelArchive?> GetArchiveAsync(string model, CancellationToken ct) => ModelArchive.TryReadAsync(Container, model, ct);

    public async Task<ModelAliases> GetAliasesAsync(string model, CancellationToken ct) =>
        (await ReadAliasesAsync(model, ct).ConfigureAwait(false)).Aliases;

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/> whatever it points at now; retries on a stale ETag.</summary>
    /// <exception cref="RegistryConflictException">aliases.json kept changing under concurrent writers.</exception>
    /// <exception cref="ModelArchivedException">The model is archived (read-only).</exception>
    public Task<AliasChange> SetAliasAsync(string model, string alias, int version, string reason, CancellationToken ct) =>
        SetAliasAsync(model, alias, version, reason, by: null, ct);

    /// <param name="by">Who asked for the move, kept in the history (<see cref="AliasChange.By"/>).</param>
    public async Task<AliasChange> SetAliasAsync(string model, string alias, int version, string reason, string? by, CancellationToken ct) =>
        (await MoveAliasAsync(model, alias, version, reason, by, precondition: null, ct).ConfigureAwait(false)).Change!;

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="version"/> only if it still points at
    /// <paramref name="expected"/> (null: the alias is unset), atomically against concurrent moves. Already pointing
    /// at <paramref name="version"/> counts as moved, so a retried caller gets the same answer.
    /// </summary>
    public Task<AliasMove> MoveAliasIfAsync(string model, string alias, int version, int? expected, string reason, CancellationToken ct) =>
        MoveAliasAsync(model, alias, version, reason, by: null, current => current == expected || current == version, ct);

    private async Task<AliasMove> MoveAliasAsync(string model, string alias, int version, string reason, string? by, Func<int?, bool>? precondition, CancellationToken ct)
    {
        if (await GetCardAsync(model, version, ct).ConfigureAwait(false) is null)
        {
            throw new KeyNotFoundException($"Model '{model}' has no version {version}.");
        }

        await ModelArchive.EnsureWritableAsync(Container, model, ct).ConfigureAwait(false);
        var blob = Container.GetBlobClient(BlobLayout.RegistryAliases(model));
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (current, etag) = await ReadAliasesAsync(model, ct).ConfigureAwait(false);
            var before = current.Get(alias);
            if (precondition is not null && !precondition(before))
            {
                return new AliasMove(false, before, null);
            }

            if (precondition is not null && before == version)
            {
                return new AliasMove(true, before, null);
            }

            var change = new AliasChange(alias, version, before, time.GetUtcNow(), reason, by);
            // "with" keeps a release's weights: moving an alias does not end the traffic split.
            var updated = current with
            {
                Aliases = new Dictionary<string, int>(current.Aliases) { [alias] = version },
                History = [.. current.History, change],
            };
            if (await BlobJson.TryReplaceAsync(blob, updated, etag, ct).ConfigureAwait(false))
            {
                await RaiseAsync(
                    RegistryEventTypes.AliasMoved,
                    $"models/{model}/aliases/{alias}",
                    new RegistryChange(model, version, alias, before, reason, by),
                    ct).ConfigureAwait(false);
                return new AliasMove(true, version, change);
            }

            // Someone else moved an alias between our read and write: re-read and apply ours on top, after a
            // short random pause so a crowd of writers spreads out instead of colliding again in lock step.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * (attempt + 1))), time, ct).ConfigureAwait(false);
        }

        throw new RegistryConflictException($"aliases.json of '{model}' kept changing under concurrent writers; gave up after {MaxAttempts} attempts. Retry the request.");
    }

    private Task RaiseAsync(string type, string subject, RegistryChange change, CancellationToken ct) =>
        events is null ? Task.CompletedTask : events.RaiseAsync(type, subject, change, ct);

    private Task<(ModelAliases Aliases, ETag? ETag)> ReadAliasesAsync(string model, CancellationToken ct) =>
        BlobJson.ReadForUpdateAsync(Container.GetBlobClient(BlobLayout.RegistryAliases(model)), new ModelAliases(), ct);

    private sealed record Claim(int Version, string? RunId);

    /// <summary>Every claimed version number (model.onnx present), with the run that claimed it.</summary>
    private async Task<List<Claim>> ListClaimsAsync(string model, CancellationToken ct)
    {
        var prefix = BlobLayout.RegistryVersionPrefix(model);
        var claims = new List<Claim>();
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata }, ct).ConfigureAwait(false))
        {
            if (!item.Name.EndsWith("/model.onnx", StringComparison.Ordinal))
            {
                continue;
            }

            var number = item.Name.AsSpan(prefix.Length, item.Name.Length - prefix.Length - "/model.onnx".Length);
            if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                claims.Add(new Claim(v, item.Metadata.TryGetValue(RunIdMetadata, out var r) ? r : null));
            }
        }

        return claims;
    }
}
