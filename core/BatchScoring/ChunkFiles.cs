using System.Globalization;

namespace Serverless.Core.BatchScoring;

/// <summary>
/// The plan step's output: the input's rows as CSV chunk files of at most <c>chunkRows</c> rows each, every row led by its
/// 1-based number in the input (<see cref="RowColumn"/>) so results and errors keep the input's order and numbering.
/// </summary>
internal sealed class ChunkFiles(Func<int, Task<StreamWriter>> open, IReadOnlyList<string> header, int chunkRows) : IAsyncDisposable
{
    /// <summary>The chunk files' first column: the row's 1-based number in the input.</summary>
    public const string RowColumn = "__row";

    private StreamWriter? _chunk;
    private long _firstRow;
    private int _rows;

    public List<BatchChunk> Chunks { get; } = [];

    /// <summary>Starts row <paramref name="row"/> (its number written); the caller writes <c>,field</c> per field, then <c>\n</c>.</summary>
    public async ValueTask<TextWriter> BeginRowAsync(long row)
    {
        if (_chunk is null || _rows == chunkRows)
        {
            await CompleteAsync().ConfigureAwait(false);
            _chunk = await open(Chunks.Count).ConfigureAwait(false);
            CsvText.WriteRecord(_chunk, [RowColumn, .. header]);
            (_firstRow, _rows) = (row, 0);
        }

        _chunk.Write(row.ToString(CultureInfo.InvariantCulture));
        _rows++;
        return _chunk;
    }

    /// <summary>Closes the open chunk and records it.</summary>
    public async Task CompleteAsync()
    {
        if (_chunk is not null)
        {
            await _chunk.DisposeAsync().ConfigureAwait(false);
            _chunk = null;
            Chunks.Add(new BatchChunk(Chunks.Count, _firstRow, _rows));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_chunk is not null) await _chunk.DisposeAsync().ConfigureAwait(false);
    }
}
