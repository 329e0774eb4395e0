using System.Threading.Channels;
using Parquet;
using Parquet.Schema;

namespace Serverless.Core.Datasets;

/// <summary>
/// Writes a dataset snapshot (the <see cref="DatasetSnapshot"/> format) a row group at a time while the contract is
/// still reading the file: the contract fills a row-group buffer and hands it over, and goes on parsing into another
/// while this encodes and writes the previous one (one may wait between them); written buffers are reused, so memory
/// holds three row groups at most whatever the file's size. Class names are set at the end; they go into the footer.
/// </summary>
public sealed class SnapshotWriter : IAsyncDisposable
{
    private readonly Channel<RowGroupBuffer> _groups = Channel.CreateBounded<RowGroupBuffer>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
    private readonly System.Collections.Concurrent.ConcurrentQueue<RowGroupBuffer> _free = new();
    private readonly IReadOnlyList<(string Name, ColumnKind Kind)> _columns;
    private readonly List<(string Column, IReadOnlyList<string> Names)> _classNames = [];
    private readonly DataField[] _fields;
    private readonly Stream _dest;
    private readonly Task _writing;

    /// <param name="columns">The snapshot's columns, in order (<see cref="DatasetContract.SnapshotColumns"/>).</param>
    /// <param name="rowGroupRows">Rows per row group.</param>
    public SnapshotWriter(IReadOnlyList<(string Name, ColumnKind Kind)> columns, Stream dest, int rowGroupRows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(dest);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        RowGroupRows = rowGroupRows;
        _columns = columns;
        _fields = DatasetSnapshot.Fields(columns);
        _dest = dest;
        _writing = Task.Run(() => WriteAsync(ct), ct);
    }

    public int RowGroupRows { get; }

    /// <summary>Rows handed over so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Row groups handed over so far.</summary>
    public int RowGroups { get; private set; }

    /// <summary>An empty row-group buffer: one already written, else a new one (three exist at most).</summary>
    internal RowGroupBuffer Rent() => _free.TryDequeue(out var buffer) ? buffer : new RowGroupBuffer(_columns, RowGroupRows);

    /// <summary>Hands over a filled row group; blocks while the previous one is still waiting to be written.</summary>
    internal void Add(RowGroupBuffer rowGroup)
    {
        // A failed writer completes the channel with its exception, so this throws rather than waits forever.
        var rows = rowGroup.Rows;
        _groups.Writer.WriteAsync(rowGroup).AsTask().GetAwaiter().GetResult();
        Rows += rows;
        RowGroups++;
    }

    internal void SetClassNames(string column, IReadOnlyList<string>? names)
    {
        if (names is not null)
        {
            _classNames.Add((column, names));
        }
    }

    /// <summary>Writes what is still queued and the footer; the snapshot is complete once this returns.</summary>
    public async Task CompleteAsync()
    {
        _groups.Writer.TryComplete();
        await _writing.ConfigureAwait(false);
    }

    /// <summary>Stops the writer (an abandoned snapshot) and waits for it; its errors are not the caller's concern then.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_groups.Writer.TryComplete())
        {
            try
            {
                await _writing.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Abandoned: nothing reads this snapshot.
            }
        }
    }

    private async Task WriteRowGroupAsync(ParquetWriter writer, RowGroupBuffer buffer, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        for (var i = 0; i < _fields.Length; i++)
        {
            if (buffer.Floats[i] is { } floats)
            {
                await group.WriteAsync<float>(_fields[i], floats.AsMemory(0, buffer.Rows), null, null, ct).ConfigureAwait(false);
            }
            else
            {
                await group.WriteAsync(_fields[i], new ArraySegment<string>(buffer.Texts[i]!, 0, buffer.Rows), null).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(_fields), _dest, options: null, append: false, ct).ConfigureAwait(false);
            await foreach (var group in _groups.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await WriteRowGroupAsync(writer, group, ct).ConfigureAwait(false);
                _free.Enqueue(group);
            }

            DatasetSnapshot.SetClassNames(writer, _classNames);
        }
        catch (Exception e)
        {
            _groups.Writer.TryComplete(e);
            throw;
        }
    }
}
