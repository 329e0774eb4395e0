using System.Numerics;
using Parquet;
using Parquet.Schema;
using Target = Serverless.Core.Datasets.ContractAccumulator.Target;

namespace Serverless.Core.Datasets;

/// <summary>
/// Feeds a user's Parquet file into the contract, a row group at a time. Physical types are matched loosely
/// (any integer, float, double or decimal is numeric; bool or a number 0/1 is boolean) because upstream tools
/// pick widths freely; anything else is a schema mismatch. A file Parquet.Net cannot read is a file problem.
/// </summary>
internal static class ParquetDatasetReader
{
    private static readonly HashSet<Type> IntegerTypes =
        [typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong)];

    public static async Task ReadAsync(Stream source, Specs.ModelSpec spec, ContractAccumulator acc, CancellationToken ct)
    {
        if (!source.CanSeek)
        {
            // Parquet keeps its schema in a footer, so the reader must seek.
            var buffer = new MemoryStream();
            await source.CopyToAsync(buffer, ct);
            buffer.Position = 0;
            source = buffer;
        }

        try
        {
            await ReadCoreAsync(source, spec, acc, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Parquet.Net reports damage with IOException, Thrift and argument errors alike; the user only needs to know the file is unreadable.
            acc.AddFileProblem(ContractRules.CorruptParquet, $"The Parquet file cannot be read: {e.Message}");
        }
    }

    private static async Task ReadCoreAsync(Stream source, Specs.ModelSpec spec, ContractAccumulator acc, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(source, parquetOptions: null, leaveStreamOpen: true, ct);
        if (reader.Schema.Fields.Count > acc.Limits.MaxColumns)
        {
            acc.AddFileProblem(ContractRules.TooManyColumns, $"The schema has {reader.Schema.Fields.Count} columns; at most {acc.Limits.MaxColumns} are read.");
            return;
        }

        var fields = MapSchema(reader.Schema, spec, acc);
        if (acc.HasFileProblems || !PlausibleRowCounts(reader, source.Length, acc))
        {
            return;
        }

        var rows = 0;
        foreach (var group in reader.RowGroups)
        {
            var n = checked((int)group.RowCount);
            var columns = new ColumnValues[fields.Length];
            for (var col = 0; col < fields.Length; col++)
            {
                columns[col] = await ReadColumnAsync(group, fields[col], n, ct);
            }

            for (var r = 0; r < n; r++)
            {
                if ((++rows & 0xFFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }

                acc.BeginRow(0);
                for (var col = 0; col < columns.Length; col++)
                {
                    Feed(acc, col, columns[col], r);
                }

                acc.EndRow();
            }
        }
    }

    /// <summary>
    /// The footer's row counts against the file's size and the row-group cap, before any array is sized from them:
    /// a footer claiming 10^12 rows in a kilobyte is a broken or hostile file, not an allocation to attempt.
    /// </summary>
    private static bool PlausibleRowCounts(ParquetReader reader, long fileBytes, ContractAccumulator acc)
    {
        var limits = acc.Limits;
        var claimed = reader.RowGroups.Aggregate(0L, (sum, g) => g.RowCount < 0 ? long.MaxValue : sum + Math.Min(g.RowCount, long.MaxValue - sum));
        if (claimed > fileBytes * limits.MaxParquetRowsPerByte)
        {
            acc.AddFileProblem(ContractRules.ParquetRowCount,
                $"The footer claims {claimed} rows in a {fileBytes}-byte file (more than {limits.MaxParquetRowsPerByte} rows per byte); the file is damaged or was not written by a Parquet writer.");
            return false;
        }

        if (reader.RowGroups.FirstOrDefault(g => g.RowCount > limits.MaxParquetRowGroupRows) is { } big)
        {
            acc.AddFileProblem(ContractRules.ParquetRowCount,
                $"A row group holds {big.RowCount} rows; at most {limits.MaxParquetRowGroupRows} are read at once. Write the file with smaller row groups (e.g. pyarrow's row_group_size).");
            return false;
        }

        return true;
    }

    /// <summary>Checks names and types; returns, per spec column, the file's field.</summary>
    private static DataField[] MapSchema(ParquetSchema schema, Specs.ModelSpec spec, ContractAccumulator acc)
    {
        var byName = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var f in schema.Fields)
        {
            if (!byName.TryAdd(f.Name, f))
            {
                acc.AddFileProblem(ContractRules.DuplicateColumn, $"Column '{f.Name}' appears more than once in the schema.");
            }
        }

        var mapped = new DataField[acc.ColumnCount];
        for (var col = 0; col < mapped.Length; col++)
        {
            var name = acc.NameOf(col);
            if (!byName.TryGetValue(name, out var field))
            {
                acc.AddFileProblem(ContractRules.MissingColumn, $"Column '{name}' is missing.");
            }
            else if (field is not DataField { IsArray: false } df || !Accepts(acc.TargetOf(col), df.ClrType))
            {
                acc.AddFileProblem(ContractRules.SchemaMismatch, $"Column '{name}' is {Describe(field)}; expected {Expected(acc.TargetOf(col))}.");
            }
            else
            {
                mapped[col] = df;
            }
        }

        if (!spec.AllowExtraColumns)
        {
            foreach (var name in byName.Keys.Where(h => h != spec.Label && spec.FindFeature(h) is null))
            {
                acc.AddFileProblem(ContractRules.ExtraColumn, $"Column '{name}' is not in the spec (set allowExtraColumns to ignore it).");
            }
        }

        return mapped;
    }

    private static bool Accepts(Target target, Type t) => target switch
    {
        Target.Numeric or Target.RegressionLabel => IsNumber(t),
        Target.Boolean => t == typeof(bool) || IsNumber(t),

        // Binary labels may be stated as text too (with positiveClass).
        Target.BinaryLabel => t == typeof(bool) || IsNumber(t) || IsText(t),
        Target.Categorical => IsText(t),
        _ => IsText(t) || IntegerTypes.Contains(t),
    };

    private static string Expected(Target target) => target switch
    {
        Target.Numeric or Target.RegressionLabel => "an integer, float, double or decimal column",
        Target.Boolean => "a boolean or numeric (0/1) column",
        Target.BinaryLabel => "a boolean, numeric (0/1) or string (with positiveClass) column",
        Target.Categorical => "a string column",
        _ => "a string or integer column",
    };

    private static string Describe(Field f) => f is DataField df
        ? (df.IsArray ? $"a list of {df.ClrType.Name}" : $"of type {(IsText(df.ClrType) ? "string" : df.ClrType.Name)}")
        : $"a nested {f.SchemaType} field";

    private static bool IsNumber(Type t) => IntegerTypes.Contains(t) || t == typeof(float) || t == typeof(double) || t == typeof(decimal);

    // Parquet.Net 6 reports UTF-8 columns as ReadOnlyMemory<char>.
    private static bool IsText(Type t) => t == typeof(string) || t == typeof(ReadOnlyMemory<char>);

    private static async Task<ColumnValues> ReadColumnAsync(ParquetRowGroupReader group, DataField f, int n, CancellationToken ct)
    {
        var t = f.ClrType;
        if (IsText(t))
        {
            var texts = new string?[n];
            await group.ReadAsync(f, texts.AsMemory(), null, ct);
            return new ColumnValues { Texts = texts };
        }

        if (t == typeof(bool))
        {
            var bools = new bool?[n];
            if (f.IsNullable)
            {
                await group.ReadAsync<bool>(f, bools.AsMemory(), null, ct);
            }
            else
            {
                var required = new bool[n];
                await group.ReadAsync<bool>(f, required.AsMemory(), null, ct);
                for (var i = 0; i < n; i++) bools[i] = required[i];
            }

            return new ColumnValues { Bools = bools };
        }

        return new ColumnValues
        {
            Numbers = t switch
            {
                _ when t == typeof(sbyte) => await ReadNumbersAsync<sbyte>(group, f, n, ct),
                _ when t == typeof(byte) => await ReadNumbersAsync<byte>(group, f, n, ct),
                _ when t == typeof(short) => await ReadNumbersAsync<short>(group, f, n, ct),
                _ when t == typeof(ushort) => await ReadNumbersAsync<ushort>(group, f, n, ct),
                _ when t == typeof(int) => await ReadNumbersAsync<int>(group, f, n, ct),
                _ when t == typeof(uint) => await ReadNumbersAsync<uint>(group, f, n, ct),
                _ when t == typeof(long) => await ReadNumbersAsync<long>(group, f, n, ct),
                _ when t == typeof(ulong) => await ReadNumbersAsync<ulong>(group, f, n, ct),
                _ when t == typeof(float) => await ReadNumbersAsync<float>(group, f, n, ct),
                _ when t == typeof(double) => await ReadNumbersAsync<double>(group, f, n, ct),
                _ => await ReadNumbersAsync<decimal>(group, f, n, ct),
            },
        };
    }

    private static async Task<double?[]> ReadNumbersAsync<T>(ParquetRowGroupReader group, DataField f, int n, CancellationToken ct)
        where T : struct, INumberBase<T>
    {
        var values = new double?[n];

        // A required column must be read through the non-nullable overload: Parquet.Net's nullable overload
        // consults definition levels a required column doesn't have, and returned random nulls under load.
        if (!f.IsNullable)
        {
            var required = new T[n];
            await group.ReadAsync<T>(f, required.AsMemory(), null, ct);
            for (var i = 0; i < n; i++)
            {
                values[i] = double.CreateTruncating(required[i]);
            }

            return values;
        }

        var raw = new T?[n];
        await group.ReadAsync<T>(f, raw.AsMemory(), null, ct);
        for (var i = 0; i < n; i++)
        {
            values[i] = raw[i] is { } v ? double.CreateTruncating(v) : null;
        }

        return values;
    }

    private static void Feed(ContractAccumulator acc, int col, ColumnValues v, int r)
    {
        if (v.Texts is not null)
        {
            if (v.Texts[r] is { } s)
            {
                acc.SetText(col, s);
            }
            else
            {
                acc.SetMissing(col);
            }
        }
        else if (v.Bools is not null)
        {
            if (v.Bools[r] is { } b)
            {
                acc.SetBoolean(col, b);
            }
            else
            {
                acc.SetMissing(col);
            }
        }
        else if (v.Numbers![r] is not { } d || double.IsNaN(d))
        {
            // pandas and Spark write missing floats as NaN, not null: both mean "missing" here.
            acc.SetMissing(col);
        }
        else
        {
            acc.SetNumber(col, d);
        }
    }

    /// <summary>One column of one row group; exactly one array is set.</summary>
    private sealed class ColumnValues
    {
        public string?[]? Texts { get; init; }

        public bool?[]? Bools { get; init; }

        public double?[]? Numbers { get; init; }
    }
}
