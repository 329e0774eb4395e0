using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Serverless.Core.BatchScoring;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Registry;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.BatchScoring;

public sealed class BatchScorerTests
{
    [Fact]
    public async Task Every_row_ends_scored_in_input_order_or_in_the_errors_file_with_its_id()
    {
        var (storage, scorer, server, model) = await CreateAsync(chunkRows: 7, scoreRows: 3);
        var csv = new StringBuilder("customer_id,x,color,extra\n");
        var valid = new List<(string Id, float X, string? Color)>();
        for (var i = 1; i <= 30; i++)
        {
            var id = i == 21 ? "c,21" : $"c{i}";
            var line = i switch
            {
                5 => "c5,abc,red,z",            // type error
                9 => "c9,,blue,z",              // x is not nullable
                12 => "c12,\"1.0\"x,red,z",     // text after a closing quote: malformed CSV
                20 => "c20,0.5",                // too few fields
                _ => null,
            };
            if (line is null)
            {
                var x = 0.1f * i;
                var color = i % 4 == 0 ? null : TinyModel.Colors[i % 3];
                valid.Add((id, x, color));
                line = $"{(id.Contains(',') ? $"\"{id}\"" : id)},{x.ToString("R", CultureInfo.InvariantCulture)},{color ?? "NA"},z";
            }

            csv.Append(line).Append('\n');
        }

        var input = $"{model}/incoming/customers.csv";
        await scorer.Container.GetBlobClient(input).UploadAsync(BinaryData.FromString(csv.ToString()));
        var request = new BatchScoringRequest("b1-" + model, model, input, null, "customer_id", DateTimeOffset.UnixEpoch);

        var summary = await RunAsync(scorer, request);

        Assert.Equal(BatchSummary.Succeeded, summary.Status);
        Assert.Equal(1, summary.Version);
        Assert.Equal((30L, 26L, 4L), (summary.RowsIn, summary.RowsOut, summary.RowsWithErrors));
        var results = await ReadCsvAsync(scorer, BatchLayout.Results(model, "customers.csv"));
        Assert.Equal(["customer_id", "label", "score"], results[0]);
        Assert.Equal(valid.Select(v => v.Id), results.Skip(1).Select(r => r[0]));

        // The same scores as the in-process server on the same rows (one code path; text round trip only).
        var expected = server.Predict(
            await server.GetVersionAsync(model, 1, CancellationToken.None),
            new TabularDataset([DataColumn.Float("x", valid.Select(v => v.X).ToArray()), DataColumn.Text("color", valid.Select(v => v.Color).ToArray())]));
        for (var i = 0; i < valid.Count; i++)
        {
            Assert.Equal(expected.Predictions[i].Label, results[i + 1][1]);
            Assert.Equal(expected.Predictions[i].Score!.Value, double.Parse(results[i + 1][2], CultureInfo.InvariantCulture), 1e-9);
        }

        var errors = await ReadCsvAsync(scorer, BatchLayout.Errors(model, "customers.csv"));
        Assert.Equal(["row", "customer_id", "field", "rule", "message"], errors[0]);
        Assert.Equal(["12", "5", "9", "20"], errors.Skip(1).Select(e => e[0]));
        Assert.Equal(["c12", "c5", "c9", "c20"], errors.Skip(1).Select(e => e[1]));
        Assert.Equal([ContractRules.UnparseableRow, ContractRules.TypeError, ContractRules.NullNotAllowed, ContractRules.UnparseableRow], errors.Skip(1).Select(e => e[3]));

        // The drop left incoming/ and the working blobs are gone.
        Assert.False(await scorer.Container.GetBlobClient(input).ExistsAsync());
        Assert.True(await scorer.Container.GetBlobClient(BatchLayout.Scored(model, "customers.csv")).ExistsAsync());
        await foreach (var _ in scorer.Container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = BatchLayout.WorkPrefix(model, request.BatchId) }))
        {
            Assert.Fail("working blobs left behind");
        }
    }

    [Fact]
    public async Task A_named_version_is_used_and_a_file_without_a_required_input_is_refused_with_the_reason()
    {
        var (_, scorer, _, model) = await CreateAsync(chunkRows: 100, scoreRows: 100);
        await scorer.Container.GetBlobClient($"{model}/in/ok.csv").UploadAsync(BinaryData.FromString("x,color\n0.5,red\n1.5,blue\n"));
        await scorer.Container.GetBlobClient($"{model}/in/bad.csv").UploadAsync(BinaryData.FromString("color\nred\n"));

        var ok = await RunAsync(scorer, new BatchScoringRequest("b2-" + model, model, $"{model}/in/ok.csv", 2, null, DateTimeOffset.UnixEpoch));
        var bad = await RunAsync(scorer, new BatchScoringRequest("b3-" + model, model, $"{model}/in/bad.csv", null, null, DateTimeOffset.UnixEpoch));

        Assert.Equal((2, 2L, 0L), (ok.Version!.Value, ok.RowsOut, ok.RowsWithErrors));
        Assert.Equal(["1", "2"], (await ReadCsvAsync(scorer, BatchLayout.Results(model, "in/ok.csv"))).Skip(1).Select(r => r[0]));
        Assert.Equal(BatchSummary.Refused, bad.Status);
        Assert.Contains("required input(s) x", bad.Problem, StringComparison.Ordinal);
        Assert.False(await scorer.Container.GetBlobClient(BatchLayout.Results(model, "in/bad.csv")).ExistsAsync());
        Assert.True(await scorer.Container.GetBlobClient(BatchLayout.Summary(model, "in/bad.csv")).ExistsAsync());
    }

    /// <summary>The orchestration's steps in order, without the task hub.</summary>
    private static async Task<BatchSummary> RunAsync(BatchScorer scorer, BatchScoringRequest request)
    {
        var plan = await scorer.PlanAsync(request, CancellationToken.None);
        if (plan.Problem is { } problem) return await scorer.RefuseAsync(request, problem, CancellationToken.None);
        var chunks = new List<BatchChunkResult>();
        foreach (var chunk in plan.Chunks.Reverse())
        {
            chunks.Add(await scorer.ScoreChunkAsync(new BatchChunkWork(request, plan.Version, chunk), CancellationToken.None));
        }

        return await scorer.AssembleAsync(new BatchAssembly(request, plan, chunks), CancellationToken.None);
    }

    private static async Task<List<string[]>> ReadCsvAsync(BatchScorer scorer, string blob)
    {
        await using var stream = await scorer.Container.GetBlobClient(blob).OpenReadAsync();
        using var reader = new CsvReader(stream);
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(reader.ToArray());
        return rows;
    }

    private static async Task<(PlatformStorage, BatchScorer, ModelServer, string)> CreateAsync(int chunkRows, int scoreRows)
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("batch");
        await TinyModel.RegisterAsync(storage, model);
        var registry = new ModelRegistry(storage, TimeProvider.System);
        var server = new ModelServer(registry, storage, TimeProvider.System, Options.Create(new ScoringOptions()));
        var options = Options.Create(new BatchScoringOptions { ChunkRows = chunkRows, ScoreRows = scoreRows });
        return (storage, new BatchScorer(storage, registry, server, options, TimeProvider.System), server, model);
    }
}
