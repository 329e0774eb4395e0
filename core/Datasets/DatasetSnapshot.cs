using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Serverless.Core.Datasets;

/// <summary>
/// Stores a validated <see cref="TabularDataset"/> as Parquet and reads it back bit-exactly: float columns as
/// required FLOAT (NaN kept as a value, not a null), text columns as optional UTF-8 strings. A binary label's
/// class names (<see cref="DataColumn.ClassNames"/>) travel in the file's key-value metadata.
/// </summary>
public static class DatasetSnapshot
{
    private const string ClassNamesKeyPrefix = "serverless.classNames.";

    /// <summary>Rows per row group: bounds the writer's memory on large snapshots.</summary>
    public const int RowGroupSize = 1 << 20;

    public static async Task WriteParquetAsync(TabularDataset data, Stream dest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(dest);
        var fields = Fields(data.Columns.Select(c => (c.Name, c.Kind)));
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), dest, options: null, append: false, ct);
        SetClassNames(writer, data.Columns.Where(c => c.ClassNames is not null).Select(c => (c.Name, c.ClassNames!)));

        // Always at least one row group, so an empty snapshot still has a readable schema.
        var start = 0;
        do
        {
            var count = Math.Min(RowGroupSize, data.RowCount - start);
            await WriteRowGroupAsync(writer, fields, data, start, count, ct);
            start += count;
        }
        while (start < data.RowCount);
    }

    /// <summary>The snapshot's Parquet fields: required FLOAT, or optional UTF-8 string.</summary>
    internal static DataField[] Fields(IEnumerable<(string Name, ColumnKind Kind)> columns) =>
        columns.Select(c => c.Kind == ColumnKind.Float ? (DataField)new DataField<float>(c.Name) : new DataField<string>(c.Name, nullable: true)).ToArray();

    /// <summary>Class names travel in the footer's key-value metadata, so they may be set after the row groups.</summary>
    internal static void SetClassNames(ParquetWriter writer, IEnumerable<(string Column, IReadOnlyList<string> Names)> classNames)
    {
        var metadata = classNames.ToDictionary(c => ClassNamesKeyPrefix + c.Column, c => JsonSerializer.Serialize(c.Names, PlatformJson.Options));
        if (metadata.Count > 0)
        {
            writer.CustomMetadata = metadata;
        }
    }

    private static async Task WriteRowGroupAsync(ParquetWriter writer, DataField[] fields, TabularDataset data, int start, int count, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        for (var i = 0; i < fields.Length; i++)
        {
            var column = data.Columns[i];
            if (column.Kind == ColumnKind.Float)
            {
                await group.WriteAsync<float>(fields[i], column.FloatValues.AsMemory(start, count), null, null, ct);
            }
            else
            {
                await group.WriteAsync(fields[i], new ArraySegment<string>(column.TextValues!, start, count), null);
            }
        }
    }

    public static async Task<TabularDataset> ReadParquetAsync(Stream src, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(src);
        await using var reader = await ParquetReader.CreateAsync(src, parquetOptions: null, leaveStreamOpen: true, ct);
        var rows = checked((int)reader.RowGroups.Sum(g => g.RowCount));
        var fields = reader.Schema.DataFields;
        var floats = new float[fields.Length][];
        var texts = new string?[fields.Length][];
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].ClrType == typeof(float) && !fields[i].IsNullable)
            {
                floats[i] = new float[rows];
            }
            else if (fields[i].ClrType == typeof(ReadOnlyMemory<char>) || fields[i].ClrType == typeof(string))
            {
                texts[i] = new string?[rows];
            }
            else
            {
                throw new InvalidDataException($"Column '{fields[i].Name}' is {fields[i].ClrType.Name}; a snapshot holds only required float and string columns.");
            }
        }

        var offset = 0;
        foreach (var group in reader.RowGroups)
        {
            var n = (int)group.RowCount;
            for (var i = 0; i < fields.Length; i++)
            {
                if (floats[i] is { } f)
                {
                    await group.ReadAsync<float>(fields[i], f.AsMemory(offset, n), null, ct);
                }
                else
                {
                    await group.ReadAsync(fields[i], texts[i].AsMemory(offset, n), null, ct);
                }
            }

            offset += n;
        }

        var metadata = reader.CustomMetadata;
        return new TabularDataset(fields
            .Select((f, i) => floats[i] is { } values ? DataColumn.Float(f.Name, values, ClassNames(metadata, f.Name)) : DataColumn.Text(f.Name, texts[i]))
            .ToList());
    }

    private static string[]? ClassNames(IReadOnlyDictionary<string, string>? metadata, string column) =>
        metadata is not null && metadata.TryGetValue(ClassNamesKeyPrefix + column, out var json)
            ? JsonSerializer.Deserialize<string[]>(json, PlatformJson.Options)
            : null;
}
