using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.BatchScoring;

/// <summary>
/// Up to <see cref="Capacity"/> validated rows in input columns (floats for numbers and booleans, strings for
/// categories), reused for every ORT call of a chunk: the only rows a chunk activity holds at once.
/// </summary>
internal sealed class ChunkSlice
{
    private readonly IReadOnlyList<FeatureSpec> _features;
    private readonly float[]?[] _floats;
    private readonly string?[]?[] _texts;

    public ChunkSlice(IReadOnlyList<FeatureSpec> features, int capacity)
    {
        _features = features;
        Capacity = capacity;
        _floats = new float[]?[features.Count];
        _texts = new string?[]?[features.Count];
        for (var f = 0; f < features.Count; f++)
        {
            if (features[f].Type == FeatureType.Categorical) _texts[f] = new string?[capacity];
            else _floats[f] = new float[capacity];
        }

        Rows = new long[capacity];
        Ids = new string?[capacity];
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    /// <summary>Input row numbers of the accepted rows.</summary>
    public long[] Rows { get; }

    public string?[] Ids { get; }

    public void Set(int f, int at, float number, string? category)
    {
        if (_texts[f] is { } texts) texts[at] = category;
        else _floats[f]![at] = number;
    }

    public void SetMissing(int f, int at)
    {
        if (_texts[f] is { } texts) texts[at] = null;
        else _floats[f]![at] = float.NaN;
    }

    /// <summary>The row whose values were just set is complete and valid.</summary>
    public void Accept(long row, string? id)
    {
        Rows[Count] = row;
        Ids[Count] = id;
        Count++;
    }

    public void Clear() => Count = 0;

    /// <summary>The accepted rows as a table (copies only the last, partly filled slice).</summary>
    public TabularDataset ToTable()
    {
        var columns = new DataColumn[_features.Count];
        for (var f = 0; f < _features.Count; f++)
        {
            columns[f] = _texts[f] is { } texts
                ? DataColumn.Text(_features[f].Name, Count == Capacity ? texts : texts[..Count])
                : DataColumn.Float(_features[f].Name, Count == Capacity ? _floats[f]! : _floats[f]![..Count]);
        }

        return new TabularDataset(columns);
    }
}
