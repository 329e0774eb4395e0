namespace Serverless.Core.Datasets;

/// <summary>An append-only column buffer: one array per column instead of one object per row.</summary>
internal sealed class GrowableArray<T>
{
    private T[] _items = new T[1024];

    public int Count { get; private set; }

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    /// <summary>The items, in an array of exactly <see cref="Count"/> elements; the buffer hands over its storage, so stop adding.</summary>
    public T[] Detach()
    {
        if (_items.Length != Count)
        {
            Array.Resize(ref _items, Count);
        }

        return _items;
    }
}
