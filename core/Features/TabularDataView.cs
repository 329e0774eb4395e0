using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.Core.Datasets;

namespace Serverless.Core.Features;

/// <summary>
/// A zero-copy ML.NET <see cref="IDataView"/> over a <see cref="TabularDataset"/>: every column stays a separate
/// scalar column (so every feature becomes its own ONNX input). Float → Single (NaN = missing),
/// Text → ReadOnlyMemory&lt;char&gt; (null → empty, which ML.NET treats as missing).
/// </summary>
public sealed class TabularDataView : IDataView
{
    private readonly TabularDataset _data;
    private readonly HashSet<string> _booleanColumns;

    /// <param name="data">The rows.</param>
    /// <param name="booleanColumns">Float columns exposed as Boolean (value &gt; 0.5), e.g. a binary label.</param>
    public TabularDataView(TabularDataset data, IEnumerable<string>? booleanColumns = null)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _booleanColumns = new HashSet<string>(booleanColumns ?? [], StringComparer.Ordinal);
        var builder = new DataViewSchema.Builder();
        foreach (var c in data.Columns)
        {
            DataViewType type = c.Kind switch
            {
                ColumnKind.Text => TextDataViewType.Instance,
                _ when _booleanColumns.Contains(c.Name) => BooleanDataViewType.Instance,
                _ => NumberDataViewType.Single,
            };
            builder.AddColumn(c.Name, type);
        }

        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    // Rows are in memory; trainers that want shuffling do their own.
    public bool CanShuffle => false;

    public long? GetRowCount() => _data.RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly TabularDataView _parent;
        private readonly bool[] _active;
        private long _position = -1;

        public Cursor(TabularDataView parent, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            _parent = parent;
            _active = new bool[parent.Schema.Count];
            foreach (var c in columnsNeeded) _active[c.Index] = true;
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 < _parent._data.RowCount)
            {
                _position++;
                return true;
            }

            _position = _parent._data.RowCount;
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested by this cursor.");
            }

            var data = _parent._data.Columns[column.Index];
            Delegate getter = column.Type switch
            {
                TextDataViewType => MakeTextGetter(data.TextValues),
                BooleanDataViewType => MakeBooleanGetter(data.FloatValues),
                _ => MakeFloatGetter(data.FloatValues),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }

        private ValueGetter<float> MakeFloatGetter(float[] values) => (ref float v) => v = values[_position];

        private ValueGetter<bool> MakeBooleanGetter(float[] values) => (ref bool v) => v = values[_position] > 0.5f;

        private ValueGetter<ReadOnlyMemory<char>> MakeTextGetter(string?[] values) =>
            (ref ReadOnlyMemory<char> v) => v = (values[_position] ?? string.Empty).AsMemory();
    }
}
