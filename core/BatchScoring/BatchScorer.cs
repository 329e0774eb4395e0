using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.Core.BatchScoring;

/// <summary>
/// The three steps of a batch: <see cref="PlanAsync"/> pins the version and streams the input into chunk files,
/// <see cref="ScoreChunkAsync"/> scores one chunk in place (core scoring, no HTTP), <see cref="AssembleAsync"/>
/// concatenates the parts in order. Every step streams, so memory is bounded by one chunk's ORT slice whatever the
/// file's size, and each rewrites the same blobs when retried. Every input row ends in the results or in the errors.
/// </summary>
public sealed partial class BatchScorer(PlatformStorage storage, ModelRegistry registry, ModelServer server, IOptions<BatchScoringOptions> options, TimeProvider time)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public BlobContainerClient Container => storage.Blobs.GetBlobContainerClient(BatchLayout.Container);

    public async Task<BatchPlan> PlanAsync(BatchScoringRequest request, CancellationToken ct)
    {
        var (model, id) = (request.Model, request.BatchId);
        var version = request.Version ?? (await registry.GetAliasesAsync(model, ct).ConfigureAwait(false)).Get(ModelAliases.Champion);
        if (version is null)
        {
            return BatchPlan.Refused($"Model '{model}' has no champion; name a version to score with.");
        }

        if (await registry.GetCardAsync(model, version.Value, ct).ConfigureAwait(false) is not { } card)
        {
            return BatchPlan.Refused($"Model '{model}' has no version {version}.");
        }

        Stream input;
        try
        {
            input = await Container.GetBlobClient(request.InputBlob).OpenReadAsync(cancellationToken: ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return BatchPlan.Refused($"'{BatchLayout.Container}/{request.InputBlob}' does not exist.");
        }

        await using var _ = input.ConfigureAwait(false);
        if (BatchLayout.IsParquet(request.InputBlob))
        {
            return await PlanParquetAsync(request, version.Value, card, input, ct).ConfigureAwait(false);
        }

        using var reader = new CsvReader(input);
        if (!reader.Read())
        {
            return BatchPlan.Refused(reader.Problem?.Message ?? "The file is empty: a header row naming the model's inputs is expected.");
        }

        var header = reader.ToArray();
        if (HeaderProblem(header, card.Inputs, request.IdColumn) is { } problem)
        {
            return BatchPlan.Refused(problem);
        }

        var idIndex = request.IdColumn is null ? -1 : Array.IndexOf(header, request.IdColumn);
        StreamWriter? malformed = null;
        long row = 0, malformedRows = 0;
        var chunks = NewChunkFiles(request, header, ct);
        await using (chunks.ConfigureAwait(false))
        {
            try
            {
                while (reader.Read())
                {
                    row++;
                    if (reader.IsMalformed)
                    {
                        malformed ??= await OpenTextAsync(BatchLayout.PlanErrors(model, id), ct).ConfigureAwait(false);
                        WriteError(malformed, row, idIndex >= 0 && idIndex < reader.FieldCount ? reader[idIndex].ToString() : null, request.IdColumn, "", ContractRules.UnparseableRow, "The record is not valid CSV (an unterminated quote or text after a closing quote).");
                        malformedRows++;
                        continue;
                    }

                    var chunk = await chunks.BeginRowAsync(row).ConfigureAwait(false);
                    for (var f = 0; f < reader.FieldCount; f++)
                    {
                        chunk.Write(',');
                        CsvText.WriteField(chunk, reader[f]);
                    }

                    chunk.Write('\n');
                }

                await chunks.CompleteAsync().ConfigureAwait(false);
            }
            finally
            {
                if (malformed is not null) await malformed.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (reader.Problem is { } fileProblem)
        {
            await DeleteWorkAsync(model, id, ct).ConfigureAwait(false);
            return BatchPlan.Refused($"Reading stopped after row {row}: {fileProblem.Message}");
        }

        return new BatchPlan(version.Value, chunks.Chunks, row, malformedRows, Math.Max(1, options.Value.MaxParallelChunks), null);
    }

    private ChunkFiles NewChunkFiles(BatchScoringRequest request, IReadOnlyList<string> header, CancellationToken ct) =>
        new(index => OpenTextAsync(BatchLayout.Chunk(request.Model, request.BatchId, index), ct), header, Math.Max(1, options.Value.ChunkRows));

    public async Task<BatchChunkResult> ScoreChunkAsync(BatchChunkWork work, CancellationToken ct)
    {
        var (request, chunk) = (work.Request, work.Chunk);
        var loaded = await server.GetVersionAsync(request.Model, work.Version, ct).ConfigureAwait(false);
        var features = loaded.Card.Inputs;
        var contracts = features.Select(f => new ColumnContract(f, ModelSpec.DefaultMissingValues)).ToArray();

        await using var input = await Container.GetBlobClient(BatchLayout.Chunk(request.Model, request.BatchId, chunk.Index)).OpenReadAsync(cancellationToken: ct).ConfigureAwait(false);
        using var reader = new CsvReader(input);
        if (!reader.Read()) throw new InvalidDataException($"Chunk {chunk.Index} of batch {request.BatchId} has no header.");
        var header = reader.ToArray();
        var columnOf = features.Select(f => Array.IndexOf(header, f.Name)).ToArray();
        var idIndex = request.IdColumn is null ? -1 : Array.IndexOf(header, request.IdColumn);

        await using var results = await OpenTextAsync(BatchLayout.Part(request.Model, request.BatchId, chunk.Index), ct).ConfigureAwait(false);
        await using var errors = await OpenTextAsync(BatchLayout.PartErrors(request.Model, request.BatchId, chunk.Index), ct).ConfigureAwait(false);
        var slice = new ChunkSlice(features, Math.Max(1, options.Value.ScoreRows));
        int rowsOut = 0, rowsWithErrors = 0;
        var rowErrors = new List<(string Field, string? Rule, string Message)>();
        while (reader.Read())
        {
            var row = long.Parse(reader[0], NumberStyles.None, CultureInfo.InvariantCulture);
            var id = idIndex >= 0 && idIndex < reader.FieldCount ? reader[idIndex].ToString() : null;
            rowErrors.Clear();
            if (reader.FieldCount != header.Length)
            {
                rowErrors.Add(("", ContractRules.UnparseableRow, $"The record has {reader.FieldCount - 1} fields; the header has {header.Length - 1}."));
            }
            else
            {
                var at = slice.Count;
                for (var f = 0; f < features.Count; f++)
                {
                    var cell = columnOf[f] >= 0 ? reader[columnOf[f]] : [];
                    var verdict = contracts[f].CheckText(cell, out var number, out var category);
                    switch (verdict)
                    {
                        case ValueVerdict.Valid:
                            slice.Set(f, at, number, category ?? (features[f].Type == FeatureType.Categorical ? cell.Trim().ToString() : null));
                            break;
                        case ValueVerdict.Missing:
                            slice.SetMissing(f, at);
                            break;
                        default:
                            rowErrors.Add((features[f].Name, ColumnContract.RuleOf(verdict), contracts[f].MessageFor(verdict)));
                            break;
                    }
                }
            }

            if (rowErrors.Count > 0)
            {
                foreach (var (field, rule, message) in rowErrors)
                {
                    WriteError(errors, row, id, request.IdColumn, field, rule, message);
                }

                rowsWithErrors++;
                continue;
            }

            slice.Accept(row, id);
            if (slice.Count == slice.Capacity)
            {
                rowsOut += Flush(loaded, slice, results, request.IdColumn);
            }
        }

        if (reader.Problem is { } problem) throw new InvalidDataException($"Chunk {chunk.Index} of batch {request.BatchId}: {problem.Message}");
        rowsOut += Flush(loaded, slice, results, request.IdColumn);
        if (rowsOut + rowsWithErrors != chunk.Rows)
        {
            throw new InvalidDataException($"Chunk {chunk.Index} of batch {request.BatchId} held {chunk.Rows} rows but {rowsOut} were scored and {rowsWithErrors} refused.");
        }

        return new BatchChunkResult(chunk.Index, rowsOut, rowsWithErrors);
    }

    public async Task<BatchSummary> AssembleAsync(BatchAssembly assembly, CancellationToken ct)
    {
        var (request, plan) = (assembly.Request, assembly.Plan);
        var name = BatchLayout.ResultName(request.Model, request.InputBlob);
        var card = await registry.GetCardAsync(request.Model, plan.Version, ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Model '{request.Model}' has no version {plan.Version}.");
        var ordered = assembly.Chunks.OrderBy(c => c.Index).ToList();

        if (BatchLayout.IsParquet(name))
        {
            await WriteParquetResultsAsync(request, card, ordered, BatchLayout.Results(request.Model, name), ct).ConfigureAwait(false);
        }
        else
        {
            await using var results = await OpenTextAsync(BatchLayout.Results(request.Model, name), ct).ConfigureAwait(false);
            CsvText.WriteRecord(results, OutputHeader(card, request.IdColumn));
            await results.FlushAsync(ct).ConfigureAwait(false);
            foreach (var c in ordered)
            {
                await AppendAsync(results, BatchLayout.Part(request.Model, request.BatchId, c.Index), ct).ConfigureAwait(false);
            }
        }

        await using (var errors = await OpenTextAsync(BatchLayout.Errors(request.Model, name), ct).ConfigureAwait(false))
        {
            CsvText.WriteRecord(errors, ErrorHeader(request.IdColumn));
            await errors.FlushAsync(ct).ConfigureAwait(false);
            await AppendAsync(errors, BatchLayout.PlanErrors(request.Model, request.BatchId), ct).ConfigureAwait(false);
            foreach (var c in ordered)
            {
                await AppendAsync(errors, BatchLayout.PartErrors(request.Model, request.BatchId, c.Index), ct).ConfigureAwait(false);
            }
        }

        var rowsOut = ordered.Sum(c => (long)c.RowsOut);
        var rowsWithErrors = plan.MalformedRows + ordered.Sum(c => (long)c.RowsWithErrors);
        if (rowsOut + rowsWithErrors != plan.RowsIn)
        {
            throw new InvalidDataException($"Batch {request.BatchId}: {plan.RowsIn} rows in but {rowsOut} scored and {rowsWithErrors} refused.");
        }

        var summary = new BatchSummary(
            request.BatchId, request.Model, plan.Version, request.InputBlob, BatchSummary.Succeeded,
            $"{BatchLayout.Container}/{BatchLayout.Results(request.Model, name)}", $"{BatchLayout.Container}/{BatchLayout.Errors(request.Model, name)}",
            plan.RowsIn, rowsOut, rowsWithErrors, null, time.GetUtcNow());
        await FinishAsync(request, summary, ct).ConfigureAwait(false);
        return summary;
    }

    /// <summary>A batch that could not start: the summary says why, and the input stays where it was.</summary>
    public async Task<BatchSummary> RefuseAsync(BatchScoringRequest request, string problem, CancellationToken ct)
    {
        var summary = new BatchSummary(request.BatchId, request.Model, request.Version, request.InputBlob, BatchSummary.Refused, null, null, 0, 0, 0, problem, time.GetUtcNow());
        await BlobJson.UploadAsync(Container.GetBlobClient(BatchLayout.Summary(request.Model, BatchLayout.ResultName(request.Model, request.InputBlob))), summary, ct).ConfigureAwait(false);
        await DeleteWorkAsync(request.Model, request.BatchId, ct).ConfigureAwait(false);
        return summary;
    }

    /// <summary>The results' columns: the id (or row number), then what the task predicts.</summary>
    public static IReadOnlyList<string> OutputHeader(ModelCard card, string? idColumn)
    {
        var columns = new List<string> { idColumn ?? "row" };
        switch (card.Task)
        {
            case ModelTask.Binary:
                columns.Add("label");
                columns.Add("score");
                break;
            case ModelTask.Multiclass:
                columns.Add("label");
                columns.AddRange((card.ClassLabels ?? []).Select(c => "p_" + c));
                break;
            default:
                columns.Add("score");
                break;
        }

        return columns;
    }

    private static IReadOnlyList<string> ErrorHeader(string? idColumn) =>
        idColumn is null ? ["row", "field", "rule", "message"] : ["row", idColumn, "field", "rule", "message"];

    private static void WriteError(TextWriter writer, long row, string? id, string? idColumn, string field, string? rule, string message) =>
        CsvText.WriteRecord(writer, idColumn is null
            ? [row.ToString(CultureInfo.InvariantCulture), field, rule, message]
            : [row.ToString(CultureInfo.InvariantCulture), id, field, rule, message]);

    private static string? HeaderProblem(string[] header, IReadOnlyList<FeatureSpec> inputs, string? idColumn)
    {
        if (idColumn is not null && !header.Contains(idColumn, StringComparer.Ordinal))
        {
            return $"The id column '{idColumn}' is not in the file's header ({string.Join(", ", header)}).";
        }

        var missing = inputs.Where(f => !f.Nullable && !header.Contains(f.Name, StringComparer.Ordinal)).Select(f => f.Name).ToList();
        return missing.Count == 0
            ? null
            : $"The file has no column for the model's required input(s) {string.Join(", ", missing)}; its header is {string.Join(", ", header)}.";
    }

    private int Flush(LoadedModel model, ChunkSlice slice, TextWriter results, string? idColumn)
    {
        if (slice.Count == 0) return 0;
        var predictions = PredictRows(model, slice.ToTable());
        var classes = model.Card.ClassLabels ?? [];
        var fields = new List<string?>(2 + classes.Count);
        for (var i = 0; i < predictions.Count; i++)
        {
            var p = predictions[i];
            fields.Clear();
            fields.Add(idColumn is null ? slice.Rows[i].ToString(CultureInfo.InvariantCulture) : slice.Ids[i]);
            switch (model.Card.Task)
            {
                case ModelTask.Binary:
                    fields.Add(p.Label);
                    fields.Add(Number(p.Score));
                    break;
                case ModelTask.Multiclass:
                    fields.Add(p.Label);
                    fields.AddRange(classes.Select(c => p.Probabilities is { } d && d.TryGetValue(c, out var v) ? Number(v) : ""));
                    break;
                default:
                    fields.Add(Number(p.Score));
                    break;
            }

            CsvText.WriteRecord(results, fields);
        }

        var n = slice.Count;
        slice.Clear();
        return n;

        static string Number(double? v) => v is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : "";
    }

    private IReadOnlyList<Prediction> PredictRows(LoadedModel model, TabularDataset rows) => server.Predict(model, rows).Predictions;

    private async Task<StreamWriter> OpenTextAsync(string blobName, CancellationToken ct)
    {
        var stream = await Container.GetBlobClient(blobName).OpenWriteAsync(overwrite: true, new BlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } }, ct).ConfigureAwait(false);
        return new StreamWriter(stream, Utf8, 1 << 16);
    }

    /// <summary>Streams a part onto the end of <paramref name="target"/>; an absent part (nothing to say) adds nothing.</summary>
    private async Task AppendAsync(StreamWriter target, string blobName, CancellationToken ct)
    {
        try
        {
            var part = await Container.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: ct).ConfigureAwait(false);
            await using var content = part.Value.Content;
            await content.CopyToAsync(target.BaseStream, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    private async Task FinishAsync(BatchScoringRequest request, BatchSummary summary, CancellationToken ct)
    {
        var name = BatchLayout.ResultName(request.Model, request.InputBlob);
        if (BatchLayout.TryParseIncoming(request.InputBlob, out _, out _))
        {
            // A scored drop leaves incoming/, so the watcher does not score it again.
            var source = Container.GetBlobClient(request.InputBlob);
            try
            {
                var content = await source.DownloadStreamingAsync(cancellationToken: ct).ConfigureAwait(false);
                await using (var stream = content.Value.Content)
                {
                    await Container.GetBlobClient(BatchLayout.Scored(request.Model, name)).UploadAsync(stream, overwrite: true, ct).ConfigureAwait(false);
                }

                await source.DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Moved by an earlier attempt of this step.
            }
        }

        // The summary last: whoever sees it finds the drop already out of incoming/.
        await BlobJson.UploadAsync(Container.GetBlobClient(BatchLayout.Summary(request.Model, name)), summary, ct).ConfigureAwait(false);
        await DeleteWorkAsync(request.Model, request.BatchId, ct).ConfigureAwait(false);
    }

    private async Task DeleteWorkAsync(string model, string batchId, CancellationToken ct)
    {
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = BatchLayout.WorkPrefix(model, batchId) }, ct).ConfigureAwait(false))
        {
            await Container.GetBlobClient(item.Name).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        }
    }
}
