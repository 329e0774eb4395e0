using Serverless.Core.Specs;

namespace Serverless.Core.Datasets;

/// <summary>
/// Checks an uploaded file (CSV or Parquet) against a model's data contract and turns the valid rows into a
/// <see cref="TabularDataset"/>. Nothing in a user file throws: every fault becomes a file or row problem.
/// </summary>
public static class DatasetContract
{
    public const int MaxStoredRowProblems = 10_000;
    public const int MaxReportedValueLength = 200;

    private static ReadOnlySpan<byte> ParquetMagic => "PAR1"u8;

    /// <summary>
    /// Validates <paramref name="file"/> (Parquet when it starts with <c>PAR1</c>, else CSV) against a spec that has passed
    /// <see cref="ModelSpecValidator"/>. Bad content never throws; cancellation and I/O failures of the stream itself do.
    /// Parquet goes through Parquet.Net's async-only API on the thread pool; a non-seekable Parquet stream is buffered in memory.
    /// </summary>
    public static ContractResult Validate(Stream file, string fileName, ModelSpec spec, CancellationToken ct) =>
        Validate(file, fileName, spec, DatasetLimits.Default, snapshot: null, ct);

    /// <summary>
    /// As <see cref="Validate(Stream, string, ModelSpec, CancellationToken)"/>, within <paramref name="limits"/>; with a
    /// <paramref name="snapshot"/>, the valid rows go to it a row group at a time instead of into
    /// <see cref="ContractResult.Data"/> (null then), and the caller completes the writer.
    /// </summary>
    public static ContractResult Validate(Stream file, string fileName, ModelSpec spec, DatasetLimits limits, SnapshotWriter? snapshot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(spec);

        var head = new byte[ParquetMagic.Length];
        int n;
        Stream source;
        if (file.CanSeek)
        {
            var start = file.Position;
            n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            file.Position = start;
            source = file;
        }
        else
        {
            n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            source = new PrefixedStream(head[..n], file);
        }

        var acc = new ContractAccumulator(spec, limits, snapshot);
        if (n == head.Length && head.AsSpan().SequenceEqual(ParquetMagic))
        {
            // Parquet.Net is async-only; Task.Run keeps a caller's synchronization context out of its continuations.
            Task.Run(() => ParquetDatasetReader.ReadAsync(source, spec, acc, ct), ct).GetAwaiter().GetResult();
        }
        else
        {
            ReadCsv(source, spec, acc, ct);
        }

        return acc.Complete(fileName);
    }

    /// <summary>The columns of the snapshot of a file valid under <paramref name="spec"/>: features in spec order, then the label.</summary>
    public static IReadOnlyList<(string Name, ColumnKind Kind)> SnapshotColumns(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return
        [
            .. spec.Features.Select(f => (f.Name, f.Type is FeatureType.Numeric or FeatureType.Boolean ? ColumnKind.Float : ColumnKind.Text)),
            (spec.Label, spec.Task == ModelTask.Multiclass ? ColumnKind.Text : ColumnKind.Float),
        ];
    }

    private static void ReadCsv(Stream source, ModelSpec spec, ContractAccumulator acc, CancellationToken ct)
    {
        using var csv = new CsvReader(source, leaveOpen: true, acc.Limits.MaxRecordChars, acc.Limits.MaxColumns);

        // Leading whitespace-only lines are not a header: a file of nothing but blanks is empty.
        bool read;
        while ((read = csv.Read()) && csv.FieldCount == 1 && csv[0].IsEmpty && !csv.IsMalformed)
        {
        }

        if (!read)
        {
            acc.AddFileProblem(csv.Problem?.Rule ?? ContractRules.EmptyFile, csv.Problem?.Message ?? "The file is empty.");
            return;
        }

        if (csv.IsMalformed)
        {
            acc.AddFileProblem(ContractRules.UnparseableRow, "The header row has broken quoting.");
            return;
        }

        var headerCount = csv.FieldCount;
        var sourceIndex = MapHeader(csv.ToArray(), spec, acc);
        if (acc.HasFileProblems)
        {
            return;
        }

        var rows = 0;
        while (csv.Read())
        {
            if ((++rows & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            // A whitespace-only line reads as one empty field; treat it like the blank line it looks like.
            if (csv.FieldCount == 1 && headerCount > 1 && csv[0].IsEmpty && !csv.IsMalformed)
            {
                continue;
            }

            acc.BeginRow(csv.Line);
            if (csv.IsMalformed)
            {
                acc.SetUnparseable("Unterminated quote or text after a closing quote.");
            }
            else if (csv.FieldCount != headerCount)
            {
                acc.SetUnparseable($"{csv.FieldCount} fields; the header has {headerCount}.");
            }
            else
            {
                for (var col = 0; col < sourceIndex.Length; col++)
                {
                    acc.SetText(col, csv[sourceIndex[col]]);
                }
            }

            acc.EndRow();
        }

        if (csv.Problem is { } p)
        {
            acc.AddFileProblem(p.Rule, p.Message);
        }
    }

    /// <summary>Checks the header and returns, per spec column, its index in the file.</summary>
    private static int[] MapHeader(string[] header, ModelSpec spec, ContractAccumulator acc)
    {
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var reportedDuplicates = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (!firstIndex.TryAdd(header[i], i) && reportedDuplicates.Add(header[i]))
            {
                acc.AddFileProblem(ContractRules.DuplicateColumn, $"Column '{header[i]}' appears more than once in the header.");
            }
        }

        var index = new int[acc.ColumnCount];
        for (var col = 0; col < index.Length; col++)
        {
            var name = acc.NameOf(col);
            if (firstIndex.TryGetValue(name, out var i))
            {
                index[col] = i;
            }
            else
            {
                acc.AddFileProblem(ContractRules.MissingColumn, $"Column '{name}' is missing.");
            }
        }

        if (!spec.AllowExtraColumns)
        {
            foreach (var name in firstIndex.Keys.Where(h => h != spec.Label && spec.FindFeature(h) is null))
            {
                acc.AddFileProblem(ContractRules.ExtraColumn, $"Column '{name}' is not in the spec (set allowExtraColumns to ignore it).");
            }
        }

        return index;
    }
}
