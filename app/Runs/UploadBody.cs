using System.Security.Cryptography;

namespace Serverless.App.Runs;

/// <summary>
/// A request body on its way to blob storage: read once, hashed as it passes (the run id needs the SHA-256), and
/// stopped with <see cref="UploadTooLargeException"/> at the first byte past the cap, so an upload is never held in
/// memory and an oversized one never completes (its staged blocks are not committed).
/// </summary>
internal sealed class UploadBody(Stream body, long maxBytes) : Stream
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead => _read;

    /// <summary>SHA-256 of everything read, as lowercase hex; call once the body is read to its end.</summary>
    public string Sha256Hex() => Convert.ToHexStringLower(_sha.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(buffer, body.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Count(buffer.Span, n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(ReadOnlySpan<byte> buffer, int n)
    {
        _read += n;
        if (_read > maxBytes)
        {
            throw new UploadTooLargeException(maxBytes);
        }

        _sha.AppendData(buffer[..n]);
        return n;
    }
}

/// <summary>An upload body ran past its cap while streaming (no Content-Length, or a wrong one).</summary>
internal sealed class UploadTooLargeException(long maxBytes) : IOException($"The body is larger than {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
