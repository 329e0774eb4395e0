using Azure;
using Azure.Storage.Blobs.Models;
using Serverless.Core.Registry.Events;
using Serverless.Core.Storage;

namespace Serverless.Core.Registry;

/// <summary>Removing versions and archiving models, never anything a live alias points at.</summary>
public sealed class ModelLifecycle(PlatformStorage storage, ModelRegistry registry, TimeProvider time, RegistryEvents? events = null)
{
    private const string DeletedMetadata = "deleted";

    /// <summary>The one "carries traffic" check every removal asks.</summary>
    public async Task<VersionTraffic> TrafficAsync(string model, int version, CancellationToken ct) =>
        VersionTraffic.Of(await registry.GetAliasesAsync(model, ct).ConfigureAwait(false), version);

    /// <summary>
    /// Deletes version <paramref name="version"/>'s card and artifacts. Its model.onnx is replaced by an empty
    /// tombstone, so the number is never handed out again.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such version.</exception>
    /// <exception cref="VersionInUseException">An alias points at it.</exception>
    /// <exception cref="ModelArchivedException">The model is archived.</exception>
    public async Task<VersionDeletion> DeleteVersionAsync(string model, int version, string reason, string? by, CancellationToken ct)
    {
        await ModelArchive.EnsureWritableAsync(storage.Registry, model, ct).ConfigureAwait(false);
        var card = await registry.GetCardAsync(model, version, ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Model '{model}' has no version {version}.");
        await EnsureNoTrafficAsync(model, version, ct).ConfigureAwait(false);

        // The card goes first: alias moves require it, so none can start pointing here from now on. One that slipped
        // in between the check and this delete is caught by the second check, which puts the card back.
        var cardBlob = storage.Registry.GetBlobClient(BlobLayout.RegistryCard(model, version));
        await cardBlob.DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        try
        {
            await EnsureNoTrafficAsync(model, version, ct).ConfigureAwait(false);
        }
        catch (VersionInUseException)
        {
            await BlobJson.UploadAsync(cardBlob, card, ct).ConfigureAwait(false);
            throw;
        }

        var prefix = $"{BlobLayout.RegistryVersionPrefix(model)}{version}/";
        var onnx = BlobLayout.RegistryModel(model, version);
        await foreach (var item in storage.Registry.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, ct).ConfigureAwait(false))
        {
            if (item.Name != onnx)
            {
                await storage.Registry.GetBlobClient(item.Name).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            }
        }

        var at = time.GetUtcNow();
        await storage.Registry.GetBlobClient(onnx).UploadAsync(
            BinaryData.Empty,
            new BlobUploadOptions { Metadata = new Dictionary<string, string> { [DeletedMetadata] = at.ToString("O") } },
            ct).ConfigureAwait(false);
        if (events is not null)
        {
            await events.RaiseAsync(RegistryEventTypes.VersionDeleted, $"models/{model}/versions/{version}", new RegistryChange(model, version, Reason: reason, By: by), ct)
                .ConfigureAwait(false);
        }

        return new VersionDeletion(model, version, at, card.RunId);
    }

    /// <summary>Marks the model read-only (idempotent: archiving again returns the first archive).</summary>
    public async Task<ModelArchive> ArchiveAsync(string model, string reason, string? by, CancellationToken ct)
    {
        var archive = new ModelArchive(model, time.GetUtcNow(), reason, by);
        try
        {
            await BlobJson.UploadAsync(storage.Registry.GetBlobClient(ModelArchive.BlobName(model)), archive, ct, new BlobRequestConditions { IfNoneMatch = ETag.All })
                .ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return (await ModelArchive.TryReadAsync(storage.Registry, model, ct).ConfigureAwait(false))!;
        }

        if (events is not null)
        {
            await events.RaiseAsync(RegistryEventTypes.ModelArchived, $"models/{model}", new RegistryChange(model, Reason: reason, By: by), ct).ConfigureAwait(false);
        }

        return archive;
    }

    public Task<ModelArchive?> GetArchiveAsync(string model, CancellationToken ct) => ModelArchive.TryReadAsync(storage.Registry, model, ct);

    private async Task EnsureNoTrafficAsync(string model, int version, CancellationToken ct)
    {
        var traffic = await TrafficAsync(model, version, ct).ConfigureAwait(false);
        if (traffic.CarriesTraffic)
        {
            throw new VersionInUseException(model, traffic);
        }
    }
}

/// <summary>What <see cref="ModelLifecycle.DeleteVersionAsync"/> removed.</summary>
public sealed record VersionDeletion(string Model, int Version, DateTimeOffset At, string RunId);
