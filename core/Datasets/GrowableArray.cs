namespace Serverless.Core.Datasets;

/// <summary>
/// An append-only column buffer: one array per column instead of one object per row. Values go into fixed-size
/// chunks (kept below the large-object threshold), so growing never copies; the exact-size array is built once.
/// </summary>
internal sealed class GrowableArray<T>
{
    private const int ChunkSize = 8192;

    private readonly List<T[]> _full = [];
    private T[] _current = new T[ChunkSize];
    private int _currentCount;

    public int Count => (_full.Count * ChunkSize) + _currentCount;

    public T this[int index] => index / ChunkSize < _full.Count ? _full[index / ChunkSize][index % ChunkSize] : _current[index - (_full.Count * ChunkSize)];

    public void Add(T item)
    {
        if (_currentCount == ChunkSize)
        {
            _full.Add(_current);
            _current = new T[ChunkSize];
            _currentCount = 0;
        }

        _current[_currentCount++] = item;
    }

    /// <summary>Empties the buffer (a row group handed to the snapshot writer), keeping one chunk for reuse.</summary>
    public void Clear()
    {
        _full.Clear();
        _currentCount = 0;
    }

    public T[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<T>(Count);
        var offset = 0;
        foreach (var chunk in _full)
        {
            chunk.CopyTo(result, offset);
            offset += ChunkSize;
        }

        _current.AsSpan(0, _currentCount).CopyTo(result.AsSpan(offset));
        return result;
    }
}
