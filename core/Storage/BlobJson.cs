using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Serverless.Core.Storage;

/// <summary>JSON documents in blobs, with the platform's serializer settings.</summary>
public static class BlobJson
{
    public static async Task UploadAsync<T>(BlobClient blob, T value, CancellationToken ct, BlobRequestConditions? conditions = null)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, PlatformJson.Indented);
        await blob.UploadAsync(
            new BinaryData(bytes),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" }, Conditions = conditions },
            ct).ConfigureAwait(false);
    }

    /// <summary>The document, or default when the blob does not exist.</summary>
    public static async Task<T?> TryDownloadAsync<T>(BlobClient blob, CancellationToken ct)
    {
        try
        {
            var content = await blob.DownloadContentAsync(ct).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<T>(PlatformJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return default;
        }
    }

    /// <summary>The document and its ETag (<paramref name="whenAbsent"/> and none when the blob does not exist), for a conditional write back with <see cref="TryReplaceAsync"/>.</summary>
    public static async Task<(T Value, ETag? ETag)> ReadForUpdateAsync<T>(BlobClient blob, T whenAbsent, CancellationToken ct)
    {
        try
        {
            var content = await blob.DownloadContentAsync(ct).ConfigureAwait(false);
            return (content.Value.Content.ToObjectFromJson<T>(PlatformJson.Options) ?? whenAbsent, content.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (whenAbsent, null);
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> only if the blob is as read (<paramref name="readETag"/>; null: still absent);
    /// false when another writer got there first, for the caller to re-read and decide again.
    /// </summary>
    public static async Task<bool> TryReplaceAsync<T>(BlobClient blob, T value, ETag? readETag, CancellationToken ct)
    {
        try
        {
            await UploadAsync(blob, value, ct, readETag is { } e ? new BlobRequestConditions { IfMatch = e } : new BlobRequestConditions { IfNoneMatch = ETag.All }).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    public static async Task<T> DownloadAsync<T>(BlobClient blob, CancellationToken ct) =>
        await TryDownloadAsync<T>(blob, ct).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"Blob '{blob.BlobContainerName}/{blob.Name}' does not exist.");
}
