using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Serverless.Core.Storage;

/// <summary>A file read from an <c>incoming/</c> folder: its blob and the version that was read (null: not known).</summary>
public sealed record DroppedFile(BlobClient Blob, ETag? Version);

/// <summary>
/// Proof that a drop's bytes (and its report, when it has one) are stored in an archive: the only thing
/// <see cref="DropArchive.DeleteAsync"/> accepts, so no code path can remove a drop before it is archived.
/// </summary>
public sealed class ArchivedDrop
{
    internal ArchivedDrop(DroppedFile drop, BlobClient copy)
    {
        Drop = drop;
        Copy = copy;
    }

    public DroppedFile Drop { get; }

    /// <summary>Where the bytes are kept.</summary>
    public BlobClient Copy { get; }
}

/// <summary>
/// Archive, report, delete: the one way a dropped file (a dataset, a duplicate, a feedback file) leaves
/// <c>incoming/</c>. The copy and the report are written first (side by side); the drop is deleted only afterwards
/// and only in the version that was read, since a newer upload under the same name is a drop of its own.
/// </summary>
public static class DropArchive
{
    /// <summary>
    /// Stores <paramref name="content"/> at <paramref name="copy"/> (with <paramref name="metadata"/>, e.g. the client's
    /// file name) and, when given, <paramref name="report"/> at <paramref name="reportBlob"/>.
    /// </summary>
    public static async Task<ArchivedDrop> ArchiveAsync<TReport>(DroppedFile drop, BlobClient copy, Stream content, BlobClient? reportBlob, TReport report, CancellationToken ct, IDictionary<string, string>? metadata = null, StorageTransferOptions transfer = default)
    {
        // No access conditions: an archive copy of the same bytes may be written again by a retried step.
        var writes = new List<Task> { copy.UploadAsync(content, new BlobUploadOptions { Metadata = metadata, TransferOptions = transfer }, ct) };
        if (reportBlob is not null)
        {
            writes.Add(BlobJson.UploadAsync(reportBlob, report, ct));
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
        return new ArchivedDrop(drop, copy);
    }

    /// <summary>Stores the bytes alone (a duplicate: the run it duplicates has the report).</summary>
    public static Task<ArchivedDrop> ArchiveAsync(DroppedFile drop, BlobClient copy, Stream content, CancellationToken ct, StorageTransferOptions transfer = default) =>
        ArchiveAsync<object?>(drop, copy, content, null, null, ct, transfer: transfer);

    /// <summary>
    /// The archive of a drop known to be stored because a record written only after its archive exists (an ingest
    /// outcome): lets a later step finish the delete without reading or writing the bytes again.
    /// </summary>
    internal static ArchivedDrop Recorded(DroppedFile drop, BlobClient copy) => new(drop, copy);

    /// <summary>
    /// Deletes the drop if it is still the version that was read (any version when none is known). False when it
    /// was already gone or replaced by a newer upload, which is then handled as a drop of its own.
    /// </summary>
    public static async Task<bool> DeleteAsync(ArchivedDrop archived, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(archived);
        var conditions = archived.Drop.Version is { } version ? new BlobRequestConditions { IfMatch = version } : null;
        try
        {
            return (await archived.Drop.Blob.DeleteIfExistsAsync(conditions: conditions, cancellationToken: ct).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Archive, report, delete in one call, for a drop that is finished with once archived.</summary>
    public static async Task<ArchivedDrop> ArchiveAndDeleteAsync<TReport>(DroppedFile drop, BlobClient copy, Stream content, BlobClient? reportBlob, TReport report, CancellationToken ct, StorageTransferOptions transfer = default)
    {
        var archived = await ArchiveAsync(drop, copy, content, reportBlob, report, ct, transfer: transfer).ConfigureAwait(false);
        await DeleteAsync(archived, ct).ConfigureAwait(false);
        return archived;
    }
}
