using System.Threading.Channels;
using Parquet;
using Parquet.Schema;

namespace Serverless.Core.Datasets;

/// <summary>
/// Writes a dataset snapshot (the <see cref="DatasetSnapshot"/> format) a row group at a time while the contract is
/// still reading the file: the contract hands over each full row group and goes on parsing while this encodes and
/// writes the previous one (one row group may wait between them), so memory holds at most three row groups whatever
/// the file's size. Class names are set at the end; they go into the footer.
/// </summary>
public sealed class SnapshotWriter : IAsyncDisposable
{
    private readonly Channel<TabularDataset> _groups = Channel.CreateBounded<TabularDataset>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
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
        _fields = DatasetSnapshot.Fields(columns);
        _dest = dest;
        _writing = Task.Run(() => WriteAsync(ct), ct);
    }

    public int RowGroupRows { get; }

    /// <summary>Rows handed over so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Row groups handed over so far.</summary>
    public int RowGroups { get; private set; }

    /// <summary>Hands over a full row group; blocks while the previous one is still waiting to be written.</summary>
    internal void Add(TabularDataset rowGroup)
    {
        // A failed writer completes the channel with its exception, so this throws rather than waits forever.
        _groups.Writer.WriteAsync(rowGroup).AsTask().GetAwaiter().GetResult();
        Rows += rowGroup.RowCount;
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

    private async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(_fields), _dest, options: null, append: false, ct).ConfigureAwait(false);
            await foreach (var group in _groups.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await DatasetSnapshot.WriteRowGroupAsync(writer, _fields, group, 0, group.RowCount, ct).ConfigureAwait(false);
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
