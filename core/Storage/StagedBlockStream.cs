using System.Text;
using Azure.Storage.Blobs.Specialized;

namespace Serverless.Core.Storage;

/// <summary>
/// A write-only stream that stages what is written as uncommitted blocks of a block blob, one buffer at a time, and
/// makes them the blob's content only on <see cref="CommitAsync"/>. Until then the blob (and any earlier content under
/// its name) is untouched, so a writer that is abandoned (a quarantined file's snapshot) leaves nothing to clean up:
/// uncommitted blocks are discarded by the service.
/// </summary>
public sealed class StagedBlockStream(BlockBlobClient blob, int blockBytes) : Stream
{
    // Block ids must have one length within a blob; a per-writer prefix keeps two writers' staged blocks apart.
    private readonly string _prefix = Guid.NewGuid().ToString("N");
    private readonly List<string> _blocks = [];
    private readonly byte[] _buffer = new byte[blockBytes];
    private int _filled;
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    /// <summary>Blocks staged so far.</summary>
    public int StagedBlocks => _blocks.Count;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var n = Take(buffer);
            buffer = buffer[n..];
            if (_filled == _buffer.Length)
            {
                StageAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var n = Take(buffer.Span);
            buffer = buffer[n..];
            if (_filled == _buffer.Length)
            {
                await StageAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Stages the rest and commits every staged block as the blob's content.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (_filled > 0 || _blocks.Count == 0)
        {
            await StageAsync(ct).ConfigureAwait(false);
        }

        await blob.CommitBlockListAsync(_blocks, cancellationToken: ct).ConfigureAwait(false);
    }

    public override void Flush()
    {
        // Blocks are staged when full and committed explicitly; a flush has nothing to do.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private int Take(ReadOnlySpan<byte> source)
    {
        var n = Math.Min(source.Length, _buffer.Length - _filled);
        source[..n].CopyTo(_buffer.AsSpan(_filled));
        _filled += n;
        _written += n;
        return n;
    }

    private async Task StageAsync(CancellationToken ct)
    {
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_prefix}{_blocks.Count:D8}"));
        using var content = new MemoryStream(_buffer, 0, _filled, writable: false);
        await blob.StageBlockAsync(id, content, cancellationToken: ct).ConfigureAwait(false);
        _blocks.Add(id);
        _filled = 0;
    }
}
