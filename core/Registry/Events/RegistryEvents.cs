using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.Registry.Events;

/// <summary>
/// The registry's event log and outbox: each change is first appended as <c>registry/{model}/events/{sequence}.json</c>
/// (the sequence number claimed with a create-only upload, so it is unique and gap-free per model), then handed to
/// every <see cref="IRegistryEventPublisher"/> and marked published. A delivery that fails leaves the event pending;
/// the model's next change (or <see cref="DeliverPendingAsync"/>) sends it again first, so each transport sees a
/// model's events in sequence order, at least once.
/// </summary>
public sealed class RegistryEvents(
    PlatformStorage storage,
    IEnumerable<IRegistryEventPublisher> publishers,
    IOptions<RegistryEventOptions> options,
    TimeProvider time,
    ILogger<RegistryEvents> logger)
{
    private const string PublishedMetadata = "published";
    private const int MaxAttempts = 100;

    private readonly IReadOnlyList<IRegistryEventPublisher> _publishers = publishers.ToList();

    private BlobContainerClient Container => storage.Registry;

    public static string LogPrefix(string model) => $"{model}/events/";

    private static string LogBlob(string model, long sequence) => $"{LogPrefix(model)}{sequence.ToString("D20", CultureInfo.InvariantCulture)}.json";

    /// <summary>
    /// Records the change and publishes it (after any earlier pending event of the model). Call only after the
    /// registry write succeeded. A failed delivery is logged, not thrown: the change itself did happen.
    /// </summary>
    public async Task<RegistryEvent> RaiseAsync(string type, string subject, RegistryChange change, CancellationToken ct)
    {
        var recorded = await AppendAsync(type, subject, change, ct).ConfigureAwait(false);
        await DeliverPendingAsync(change.Model, ct).ConfigureAwait(false);
        return recorded;
    }

    /// <summary>A model's events, oldest first, with whether each was delivered.</summary>
    public async Task<IReadOnlyList<(RegistryEvent Event, bool Published)>> ListAsync(string model, CancellationToken ct)
    {
        var result = new List<(RegistryEvent, bool)>();
        foreach (var entry in await ListEntriesAsync(model, ct).ConfigureAwait(false))
        {
            if (await BlobJson.TryDownloadAsync<RegistryEvent>(Container.GetBlobClient(entry.Name), ct).ConfigureAwait(false) is { } e)
            {
                result.Add((e, entry.Published));
            }
        }

        return result;
    }

    /// <summary>Sends the model's undelivered events in order; stops at the first failure so none overtakes another.</summary>
    /// <returns>How many were delivered now.</returns>
    public async Task<int> DeliverPendingAsync(string model, CancellationToken ct)
    {
        var delivered = 0;
        foreach (var entry in (await ListEntriesAsync(model, ct).ConfigureAwait(false)).Where(e => !e.Published))
        {
            var blob = Container.GetBlobClient(entry.Name);
            var e = await BlobJson.TryDownloadAsync<RegistryEvent>(blob, ct).ConfigureAwait(false);
            if (e is null)
            {
                continue;
            }

            try
            {
                foreach (var publisher in _publishers)
                {
                    await publisher.PublishAsync(e, ct).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Registry event {Id} ({Type}) not delivered; it stays pending and is sent again with the model's next change.", e.Id, e.Type);
                return delivered;
            }

            await blob.SetMetadataAsync(new Dictionary<string, string> { [PublishedMetadata] = "true" }, cancellationToken: ct).ConfigureAwait(false);
            delivered++;
        }

        return delivered;
    }

    private async Task<RegistryEvent> AppendAsync(string type, string subject, RegistryChange change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // Each round some writer wins the next number, so n concurrent writers are done within n rounds.
            var entries = await ListEntriesAsync(change.Model, ct).ConfigureAwait(false);
            var sequence = entries.Count == 0 ? 1 : entries[^1].Sequence + 1;
            var e = new RegistryEvent(
                $"{change.Model}/{sequence.ToString(CultureInfo.InvariantCulture)}", type, options.Value.Source, subject, time.GetUtcNow(), sequence, change);
            try
            {
                await BlobJson.UploadAsync(Container.GetBlobClient(LogBlob(change.Model, sequence)), e, ct, new BlobRequestConditions { IfNoneMatch = ETag.All })
                    .ConfigureAwait(false);
                return e;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer took this number.
            }
        }

        throw new InvalidOperationException($"Could not claim an event sequence number for '{change.Model}' after {MaxAttempts} attempts.");
    }

    private sealed record Entry(string Name, long Sequence, bool Published);

    private async Task<List<Entry>> ListEntriesAsync(string model, CancellationToken ct)
    {
        var prefix = LogPrefix(model);
        var entries = new List<Entry>();
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata }, ct).ConfigureAwait(false))
        {
            var number = item.Name.AsSpan(prefix.Length).TrimEnd(".json");
            if (long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                entries.Add(new Entry(item.Name, sequence, item.Metadata.ContainsKey(PublishedMetadata)));
            }
        }

        entries.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return entries;
    }
}
