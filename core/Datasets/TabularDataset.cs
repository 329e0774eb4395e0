namespace Serverless.Core.Datasets;

/// <summary>
/// Validated, typed rows in columnar form: what ingest produces, snapshots store and trainers consume.
/// Column order: the spec's features in spec order, then the label.
/// </summary>
public sealed class TabularDataset
{
    private readonly Dictionary<string, DataColumn> _byName;

    public TabularDataset(IReadOnlyList<DataColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var rows = columns.Count == 0 ? 0 : columns[0].Length;
        if (columns.Any(c => c.Length != rows))
        {
            throw new ArgumentException("All columns must have the same length.", nameof(columns));
        }

        Columns = columns;
        RowCount = rows;
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<DataColumn> Columns { get; }

    public int RowCount { get; }

    public DataColumn this[string name] =>
        _byName.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"Dataset has no column '{name}'.");

    public bool Contains(string name) => _byName.ContainsKey(name);

    public TabularDataset Select(IReadOnlyList<int> rowIndices) => new(Columns.Select(c => c.Select(rowIndices)).ToList());
}
