namespace Serverless.Core.Datasets;

/// <summary>
/// One row group's values on their way from the contract to the <see cref="SnapshotWriter"/>: a fixed array per
/// column, reused once written, so a file of any length moves through the same few buffers instead of leaving
/// large arrays behind for the garbage collector at every row group.
/// </summary>
internal sealed class RowGroupBuffer
{
    public RowGroupBuffer(IReadOnlyList<(string Name, ColumnKind Kind)> columns, int capacity)
    {
        Floats = new float[]?[columns.Count];
        Texts = new string?[]?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Kind == ColumnKind.Float)
            {
                Floats[i] = new float[capacity];
            }
            else
            {
                Texts[i] = new string?[capacity];
            }
        }
    }

    /// <summary>Per column: its values when it is a float column, else null.</summary>
    public float[]?[] Floats { get; }

    /// <summary>Per column: its values when it is a text column, else null.</summary>
    public string?[]?[] Texts { get; }

    /// <summary>Rows filled, from the start of each array.</summary>
    public int Rows { get; set; }
}
