using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Specialized;
using Parquet;
using Parquet.Schema;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Storage;

namespace Serverless.Core.BatchScoring;

/// <summary>
/// Parquet in and out: a <c>.parquet</c> input is split, a row group at a time, into the same CSV chunks as a CSV input
/// (each value as its invariant text, null as empty, so one contract check and one scorer serve both), and its results
/// are written as Parquet under the input's name: the id column (as text) or the row number, then what the task
/// predicts. Per-row errors stay a CSV side file either way.
/// </summary>
public sealed partial class BatchScorer
{
    /// <summary>Rows per row group of a Parquet result: what assembling holds at once.</summary>
    private const int ResultRowGroupRows = 65_536;

    private const int ResultBlockBytes = 4 << 20;

    private async Task<BatchPlan> PlanParquetAsync(BatchScoringRequest request, int version, ModelCard card, Stream input, CancellationToken ct)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(input, parquetOptions: null, leaveStreamOpen: true, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Parquet.Net reports damage with IOException, Thrift and argument errors alike.
            return BatchPlan.Refused($"The Parquet file cannot be read: {e.Message}");
        }

        await using (reader.ConfigureAwait(false))
        {
            if (reader.Schema.Fields.FirstOrDefault(f => f is not DataField { IsArray: false }) is { } nested)
            {
                return BatchPlan.Refused($"Column '{nested.Name}' is a {nested.SchemaType.ToString().ToLowerInvariant()} column; batch scoring reads flat columns only.");
            }

            var fields = reader.Schema.DataFields;
            if (fields.FirstOrDefault(f => !ParquetText.CanRead(f)) is { } unread)
            {
                return BatchPlan.Refused($"Column '{unread.Name}' holds {unread.ClrType.Name} values, which batch scoring does not read; write it as text or a number.");
            }

            var header = fields.Select(f => f.Name).ToArray();
            if (HeaderProblem(header, card.Inputs, request.IdColumn) is { } problem)
            {
                return BatchPlan.Refused(problem);
            }

            var maxGroup = DatasetLimits.Default.MaxParquetRowGroupRows;
            if (reader.RowGroups.FirstOrDefault(g => g.RowCount > maxGroup) is { } big)
            {
                return BatchPlan.Refused($"A row group holds {big.RowCount} rows; at most {maxGroup} are read at once. Write the file with smaller row groups (e.g. pyarrow's row_group_size).");
            }

            long row = 0;
            var chunks = NewChunkFiles(request, header, ct);
            await using (chunks.ConfigureAwait(false))
            {
                try
                {
                    foreach (var group in reader.RowGroups)
                    {
                        var n = checked((int)group.RowCount);
                        var columns = new string[fields.Length][];
                        for (var c = 0; c < fields.Length; c++)
                        {
                            columns[c] = await ParquetText.ReadAsync(group, fields[c], n, ct).ConfigureAwait(false);
                        }

                        for (var r = 0; r < n; r++)
                        {
                            var chunk = await chunks.BeginRowAsync(++row).ConfigureAwait(false);
                            foreach (var column in columns)
                            {
                                chunk.Write(',');
                                CsvText.WriteField(chunk, column[r]);
                            }

                            chunk.Write('\n');
                        }
                    }

                    await chunks.CompleteAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException and not RequestFailedException)
                {
                    await DeleteWorkAsync(request.Model, request.BatchId, ct).ConfigureAwait(false);
                    return BatchPlan.Refused($"Reading stopped after row {row}: the Parquet file cannot be read: {e.Message}");
                }
            }

            return new BatchPlan(version, chunks.Chunks, row, 0, Math.Max(1, options.Value.MaxParallelChunks), null);
        }
    }

    /// <summary>The scored parts (CSV) as one Parquet file, <see cref="ResultRowGroupRows"/> rows per row group.</summary>
    private async Task WriteParquetResultsAsync(BatchScoringRequest request, ModelCard card, IReadOnlyList<BatchChunkResult> ordered, string blobName, CancellationToken ct)
    {
        var header = OutputHeader(card, request.IdColumn);
        var fields = header.Select((name, i) => i == 0
            ? request.IdColumn is null ? new DataField<long>(name) : new DataField<string>(name, nullable: true)
            : name == "label" ? new DataField<string>(name, nullable: true) : (DataField)new DataField<double?>(name)).ToArray();
        var output = new StagedBlockStream(Container.GetBlockBlobClient(blobName), ResultBlockBytes);
        await using (output.ConfigureAwait(false))
        {
            var buffer = new ResultBuffer(fields);
            await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, options: null, append: false, ct).ConfigureAwait(false))
            {
                foreach (var c in ordered)
                {
                    await using var part = await Container.GetBlobClient(BatchLayout.Part(request.Model, request.BatchId, c.Index)).OpenReadAsync(cancellationToken: ct).ConfigureAwait(false);
                    using var reader = new CsvReader(part);
                    while (reader.Read())
                    {
                        buffer.Add(reader);
                        if (buffer.Count == ResultRowGroupRows) await buffer.FlushAsync(writer, ct).ConfigureAwait(false);
                    }

                    if (reader.Problem is { } problem) throw new InvalidDataException($"Part {c.Index} of batch {request.BatchId}: {problem.Message}");
                }

                await buffer.FlushAsync(writer, ct).ConfigureAwait(false);
            }

            await output.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Up to one row group of result rows, column by column, parsed back from the parts' text.</summary>
    private sealed class ResultBuffer(DataField[] fields)
    {
        private readonly List<long> _rows = [];
        private readonly List<string?>[] _texts = fields.Select(_ => new List<string?>()).ToArray();
        private readonly List<double?>[] _numbers = fields.Select(_ => new List<double?>()).ToArray();

        public int Count { get; private set; }

        public void Add(CsvReader record)
        {
            for (var f = 0; f < fields.Length; f++)
            {
                var cell = f < record.FieldCount ? record[f] : [];
                if (fields[f] is DataField<long>) _rows.Add(long.Parse(cell, NumberStyles.None, CultureInfo.InvariantCulture));
                else if (fields[f] is DataField<string>) _texts[f].Add(cell.ToString());
                else _numbers[f].Add(cell.IsEmpty ? null : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture));
            }

            Count++;
        }

        public async Task FlushAsync(ParquetWriter writer, CancellationToken ct)
        {
            if (Count == 0) return;
            using (var group = writer.CreateRowGroup())
            {
                for (var f = 0; f < fields.Length; f++)
                {
                    if (fields[f] is DataField<long>) await group.WriteAsync<long>(fields[f], _rows.ToArray(), null, null, ct).ConfigureAwait(false);
                    else if (fields[f] is DataField<string>) await group.WriteAsync(fields[f], _texts[f], null).ConfigureAwait(false);
                    else await group.WriteAsync<double>(fields[f], _numbers[f].ToArray(), null, null, ct).ConfigureAwait(false);
                }
            }

            _rows.Clear();
            foreach (var t in _texts) t.Clear();
            foreach (var n in _numbers) n.Clear();
            Count = 0;
        }
    }
}
