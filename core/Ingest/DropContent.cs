using System.Security.Cryptography;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Serverless.Core.Ingest;

/// <summary>A drop read once and hashed (its SHA-256 names the run and the dataset version), with the version read.</summary>
public sealed record HashedDrop(DropContent Content, string Sha256, ETag Version);

/// <summary>
/// The bytes of one drop, as ingest reads them: held in memory (a small drop, read and hashed in one download), or
/// the blob's version that was hashed, opened again as a stream only while that version is unchanged (a large drop:
/// an overwrite after the hash fails the read with 412 rather than ingesting other bytes under the hash).
/// </summary>
public abstract class DropContent
{
    private DropContent()
    {
    }

    public abstract long Length { get; }

    /// <summary>True when the bytes are held in memory (no further reads of the blob).</summary>
    public abstract bool IsInMemory { get; }

    /// <summary>
    /// Reads <paramref name="blob"/> once: whole into memory when it is at most <see cref="IngestOptions.InMemoryDropBytes"/>,
    /// else through the hash only. Throws <see cref="RequestFailedException"/> 404 when the blob is gone.
    /// </summary>
    public static async Task<HashedDrop> ReadAsync(BlobClient blob, IngestOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(options);
        var download = (await blob.DownloadStreamingAsync(cancellationToken: ct).ConfigureAwait(false)).Value;
        using var _ = download;
        var (length, etag) = (download.Details.ContentLength, download.Details.ETag);
        if (length <= options.InMemoryDropBytes)
        {
            var bytes = new byte[length];
            await download.Content.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
            return new HashedDrop(new InMemory(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)), etag);
        }

        // The SDK resumes a broken download with a range read conditioned on this ETag, so the hash is of one version.
        var sha = await SHA256.HashDataAsync(download.Content, ct).ConfigureAwait(false);
        return new HashedDrop(new Streamed(blob, etag, length, options), Convert.ToHexStringLower(sha), etag);
    }

    /// <summary>The bytes from the start; each call opens a new stream (the caller disposes it).</summary>
    public abstract Task<Stream> OpenAsync(CancellationToken ct);

    /// <summary>How an archive copy of these bytes is uploaded: a streamed drop in blocks, a few at a time.</summary>
    public abstract StorageTransferOptions TransferOptions { get; }

    private sealed class InMemory(byte[] bytes) : DropContent
    {
        public override long Length => bytes.Length;

        public override bool IsInMemory => true;

        public override StorageTransferOptions TransferOptions => default;

        public override Task<Stream> OpenAsync(CancellationToken ct) => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
    }

    private sealed class Streamed(BlobClient blob, ETag version, long length, IngestOptions options) : DropContent
    {
        public override long Length => length;

        public override bool IsInMemory => false;

        // Without these the SDK buffers up to 256 MB of a stream to choose between one request and blocks.
        public override StorageTransferOptions TransferOptions => new()
        {
            InitialTransferSize = options.BlockBytes,
            MaximumTransferSize = options.BlockBytes,
            MaximumConcurrency = 2,
        };

        public override async Task<Stream> OpenAsync(CancellationToken ct) =>
            await blob.OpenReadAsync(
                new BlobOpenReadOptions(allowModifications: false)
                {
                    Conditions = new BlobRequestConditions { IfMatch = version },
                    BufferSize = options.ReadBufferBytes,
                },
                ct).ConfigureAwait(false);
    }
}
