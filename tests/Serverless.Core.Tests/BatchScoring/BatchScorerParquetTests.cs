using Microsoft.Extensions.Options;
using Parquet;
using Parquet.Schema;
using Serverless.Core.BatchScoring;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Tests.Registry;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.BatchScoring;

/// <summary>A Parquet file in, a Parquet file out under the same name, the id column kept, refused rows in the errors file.</summary>
public sealed class BatchScorerParquetTests
{
    [Fact]
    public async Task A_parquet_drop_is_scored_into_parquet_results_named_after_it_with_its_ids_and_every_row_accounted_for()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("pqbatch");
        await TinyModel.RegisterAsync(storage, model);
        var registry = new ModelRegistry(storage, TimeProvider.System);
        var server = new ModelServer(registry, storage, TimeProvider.System, Options.Create(new ScoringOptions()));
        var scorer = new BatchScorer(storage, registry, server, Options.Create(new BatchScoringOptions { ChunkRows = 5, ScoreRows = 2 }), TimeProvider.System);

        // Two row groups of 7 and 6 rows; x is required, so rows 4 and 11 (x null) are refused.
        var ids = Enumerable.Range(101, 13).Select(i => (long)i).ToArray();
        var xs = ids.Select((_, i) => i is 3 or 10 ? (double?)null : 0.15 * i).ToArray();
        var colors = ids.Select((_, i) => i % 5 == 0 ? null : TinyModel.Colors[i % 3]).ToArray();
        var input = $"{model}/incoming/customers.parquet";
        await scorer.Container.GetBlobClient(input).UploadAsync(new BinaryData(await ParquetAsync(ids, xs, colors, rowGroup: 7)));
        var request = new BatchScoringRequest("pq-" + model, model, input, null, "customer_id", DateTimeOffset.UnixEpoch);

        var plan = await scorer.PlanAsync(request, CancellationToken.None);
        Assert.Null(plan.Problem);
        Assert.Equal([5, 5, 3], plan.Chunks.Select(c => c.Rows));
        var chunks = new List<BatchChunkResult>();
        foreach (var chunk in plan.Chunks.Reverse()) chunks.Add(await scorer.ScoreChunkAsync(new BatchChunkWork(request, plan.Version, chunk), CancellationToken.None));
        var summary = await scorer.AssembleAsync(new BatchAssembly(request, plan, chunks), CancellationToken.None);

        Assert.Equal((13L, 11L, 2L), (summary.RowsIn, summary.RowsOut, summary.RowsWithErrors));
        Assert.Equal(summary.RowsIn, summary.RowsOut + summary.RowsWithErrors);
        Assert.Equal($"{BatchLayout.Container}/{model}/results/customers.parquet", summary.Results);

        await using var results = await scorer.Container.GetBlobClient(BatchLayout.Results(model, "customers.parquet")).OpenReadAsync();
        await using var reader = await ParquetReader.CreateAsync(results);
        var fields = reader.Schema.DataFields;
        Assert.Equal(["customer_id", "label", "score"], fields.Select(f => f.Name));
        var kept = Enumerable.Range(0, ids.Length).Where(i => xs[i] is not null).ToList();
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(kept.Count, group.RowCount);
        var (resultIds, labels, scores) = (new string?[kept.Count], new string?[kept.Count], new double?[kept.Count]);
        await group.ReadAsync(fields[0], resultIds.AsMemory(), null);
        await group.ReadAsync(fields[1], labels.AsMemory(), null);
        await group.ReadAsync<double>(fields[2], scores.AsMemory(), null);
        Assert.Equal(kept.Select(i => ids[i].ToString(System.Globalization.CultureInfo.InvariantCulture)), resultIds);

        // The same answers as the in-process server on the same rows.
        var expected = server.Predict(
            await server.GetVersionAsync(model, 1, CancellationToken.None),
            new TabularDataset([DataColumn.Float("x", kept.Select(i => (float)xs[i]!.Value).ToArray()), DataColumn.Text("color", kept.Select(i => colors[i]).ToArray())]));
        for (var r = 0; r < kept.Count; r++)
        {
            Assert.Equal(expected.Predictions[r].Label, labels[r]);
            Assert.Equal(expected.Predictions[r].Score!.Value, scores[r]!.Value, 1e-9);
        }

        // Refused rows: in the CSV side file with their row number and id; the drop moved out of incoming/.
        await using var errorsStream = await scorer.Container.GetBlobClient(BatchLayout.Errors(model, "customers.parquet")).OpenReadAsync();
        using var errors = new CsvReader(errorsStream);
        var errorRows = new List<string[]>();
        while (errors.Read()) errorRows.Add(errors.ToArray());
        Assert.Equal(["row", "customer_id", "field", "rule", "message"], errorRows[0]);
        Assert.Equal([["4", "104", "x", ContractRules.NullNotAllowed], ["11", "111", "x", ContractRules.NullNotAllowed]], errorRows.Skip(1).Select(e => e[..4]));
        Assert.False(await scorer.Container.GetBlobClient(input).ExistsAsync());
    }

    [Fact]
    public async Task A_parquet_file_without_a_required_input_or_that_is_not_parquet_is_refused_with_the_reason()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("pqbatch");
        await TinyModel.RegisterAsync(storage, model);
        var registry = new ModelRegistry(storage, TimeProvider.System);
        var scorer = new BatchScorer(storage, registry, new ModelServer(registry, storage, TimeProvider.System, Options.Create(new ScoringOptions())), Options.Create(new BatchScoringOptions()), TimeProvider.System);
        var schema = new ParquetSchema(new DataField<string>("color", nullable: true));
        using var noX = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, noX))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(schema.DataFields[0], ["red"], null);
        }

        await scorer.Container.GetBlobClient($"{model}/in/nox.parquet").UploadAsync(new BinaryData(noX.ToArray()));
        await scorer.Container.GetBlobClient($"{model}/in/text.parquet").UploadAsync(BinaryData.FromString("x,color\n1,red\n"));

        var missing = await scorer.PlanAsync(new BatchScoringRequest("pq1-" + model, model, $"{model}/in/nox.parquet", null, null, DateTimeOffset.UnixEpoch), CancellationToken.None);
        var notParquet = await scorer.PlanAsync(new BatchScoringRequest("pq2-" + model, model, $"{model}/in/text.parquet", null, null, DateTimeOffset.UnixEpoch), CancellationToken.None);

        Assert.Contains("required input(s) x", missing.Problem, StringComparison.Ordinal);
        Assert.StartsWith("The Parquet file cannot be read", notParquet.Problem, StringComparison.Ordinal);
    }

    private static async Task<byte[]> ParquetAsync(long[] ids, double?[] xs, string?[] colors, int rowGroup)
    {
        var schema = new ParquetSchema(new DataField<long>("customer_id"), new DataField<double?>("x"), new DataField<string>("color", nullable: true));
        var fields = schema.DataFields;
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        {
            for (var start = 0; start < ids.Length; start += rowGroup)
            {
                var n = Math.Min(rowGroup, ids.Length - start);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<long>(fields[0], ids.AsMemory(start, n), null, null);
                await group.WriteAsync<double>(fields[1], xs.AsMemory(start, n), null, null);
                await group.WriteAsync(fields[2], colors[start..(start + n)], null);
            }
        }

        return stream.ToArray();
    }
}
