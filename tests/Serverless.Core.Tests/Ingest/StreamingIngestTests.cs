using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parquet;
using Serverless.Core.Datasets;
using Serverless.Core.Ingest;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Datasets;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Ingest;

/// <summary>
/// Issue #11 item 1: a drop larger than <see cref="IngestOptions.InMemoryDropBytes"/> is hashed while streaming and
/// read again as a stream, its snapshot leaving in row groups as staged blocks. Small thresholds force that path on
/// small files; it must give what the in-memory path gives.
/// </summary>
public sealed class StreamingIngestTests
{
    private const int RowGroupRows = 500;

    [Fact]
    public async Task A_streamed_drop_gives_the_same_hash_report_and_snapshot_as_the_same_drop_read_in_memory()
    {
        var storage = await StorageAsync();
        var csv = Csv(3_000, badEvery: 97);

        var inMemory = await IngestAsync(storage, csv, new IngestOptions { SnapshotRowGroupRows = RowGroupRows });
        var streamed = await IngestAsync(storage, csv, new IngestOptions { InMemoryDropBytes = 0, SnapshotRowGroupRows = RowGroupRows, BlockBytes = 2 * 1024, ReadBufferBytes = 8 * 1024 });

        Assert.True(inMemory.Read.Content.IsInMemory);
        Assert.False(streamed.Read.Content.IsInMemory);
        Assert.Equal(inMemory.Read.Sha256, streamed.Read.Sha256);
        Assert.True(inMemory.Outcome.Accepted && streamed.Outcome.Accepted, streamed.Outcome.Reason);
        Assert.Equal(ValidationReport.Verdicts.AcceptedWithDroppedRows, streamed.Outcome.Verdict);
        Assert.Equal(inMemory.Report, streamed.Report);
        Assert.Equal(inMemory.Snapshot, streamed.Snapshot);

        // The streamed snapshot was committed from several staged blocks, and the archive copy is the drop's bytes.
        var blocks = await storage.Datasets.GetBlockBlobClient(BlobLayout.DatasetData(streamed.Model, streamed.Read.Sha256)).GetBlockListAsync();
        Assert.True(blocks.Value.CommittedBlocks.Count() > 1);
        var copy = await storage.Processed.GetBlobClient(BlobLayout.ProcessedPrefix(streamed.Model, streamed.Read.Sha256) + "data.csv").DownloadContentAsync();
        Assert.Equal(csv, copy.Value.Content.ToArray());

        // Several row groups, read back as the rows the in-memory contract keeps.
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(streamed.Snapshot));
        Assert.Equal(6, reader.RowGroupCount);
        var snapshot = await DatasetSnapshot.ReadParquetAsync(new MemoryStream(streamed.Snapshot), CancellationToken.None);
        var expected = DatasetContract.Validate(new MemoryStream(csv), "data.csv", Spec(), CancellationToken.None).Data!;
        AssertSameData(expected, snapshot);
        var manifest = await BlobJson.DownloadAsync<DatasetManifest>(storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(streamed.Model, streamed.Read.Sha256)), CancellationToken.None);
        Assert.Equal(expected.RowCount, manifest.Rows);
        Assert.Equal(DatasetManifest.DescribeSchema(expected, "churned"), manifest.Schema);
    }

    [Fact]
    public async Task A_streamed_drop_overwritten_between_the_hash_and_the_ingest_pass_is_not_ingested_under_the_old_hash()
    {
        var storage = await StorageAsync();
        var model = Azurite.UniqueModel("overwrite");
        var spec = Spec();
        await new ModelSpecStore(storage).PutAsync(model, spec, CancellationToken.None);
        var blob = storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, "data.csv"));
        await blob.UploadAsync(new BinaryData(Csv(400, badEvery: 0)));
        var service = Service(storage, new IngestOptions { InMemoryDropBytes = 0 });
        var read = await DropContent.ReadAsync(blob, service.Options, CancellationToken.None);

        await blob.UploadAsync(new BinaryData(Csv(401, badEvery: 0)), overwrite: true);

        var input = new PipelineInput(model + "-run", model, read.Sha256, "data.csv", DateTimeOffset.UnixEpoch, blob.Name);
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => service.IngestAsync(input, new DroppedFile(blob, read.Version), read.Content, new ModelSpecParseResult(spec, []), CancellationToken.None));
        Assert.Equal(412, e.Status);
        Assert.False(await storage.Runs.GetBlobClient(IngestOutcome.BlobName(model, input.RunId)).ExistsAsync());
        Assert.False(await storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(model, read.Sha256)).ExistsAsync());
        Assert.True(await blob.ExistsAsync());

        // The run's own ingest step reads the new bytes: another hash, so this run is superseded, not ingested.
        var outcome = await service.IngestRunAsync(input, CancellationToken.None);
        Assert.Equal("superseded", outcome.Verdict);
    }

    [Fact]
    public async Task A_drop_over_the_size_cap_is_quarantined_with_the_limit_named()
    {
        var storage = await StorageAsync();
        var csv = Csv(200, badEvery: 0);
        var result = await IngestAsync(storage, csv, new IngestOptions { InMemoryDropBytes = 0, MaxDropBytes = csv.Length - 1 });

        Assert.False(result.Outcome.Accepted);
        Assert.StartsWith(ContractRules.FileTooLarge + ":", result.Outcome.Reason, StringComparison.Ordinal);
        Assert.Contains($"limited to {csv.Length - 1} bytes", result.Outcome.Reason, StringComparison.Ordinal);
        var copy = storage.Quarantine.GetBlobClient(BlobLayout.ProcessedPrefix(result.Model, result.Read.Sha256) + "data.csv");
        Assert.Equal(csv.Length, (await copy.GetPropertiesAsync()).Value.ContentLength);
        Assert.False(await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(result.Model, result.Read.Sha256)).ExistsAsync());
    }

    [Fact]
    public async Task A_quarantined_streamed_drop_leaves_an_existing_version_of_the_same_bytes_untouched()
    {
        var storage = await StorageAsync();
        var csv = Csv(2_000, badEvery: 0);
        var accepted = await IngestAsync(storage, csv, new IngestOptions { InMemoryDropBytes = 0, SnapshotRowGroupRows = RowGroupRows });

        // Same bytes, a spec that now rejects them (every row's plan is unknown): rows were staged, never committed.
        var rejecting = Spec() with { Features = [.. Spec().Features.Select(f => f.Name == "plan" ? f with { Categories = ["gold"] } : f)] };
        var quarantined = await IngestAsync(storage, csv, new IngestOptions { InMemoryDropBytes = 0, SnapshotRowGroupRows = RowGroupRows }, accepted.Model, rejecting);

        Assert.False(quarantined.Outcome.Accepted);
        var data = await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(accepted.Model, accepted.Read.Sha256)).DownloadContentAsync();
        Assert.Equal(accepted.Snapshot, data.Value.Content.ToArray());
    }

    [Fact]
    public async Task A_quarantine_reason_in_durable_history_is_bounded_and_the_report_blob_keeps_every_problem()
    {
        var storage = await StorageAsync();
        var header = "age,plan,active,churned," + string.Join(",", Enumerable.Range(0, 300).Select(i => $"extra_column_with_a_long_name_{i}"));
        var csv = Encoding.UTF8.GetBytes(header + "\n" + string.Join("\n", Enumerable.Range(0, 10).Select(i => "30,pro,true,false" + string.Concat(Enumerable.Repeat(",1", 300)))) + "\n");
        var result = await IngestAsync(storage, csv, new IngestOptions());

        Assert.False(result.Outcome.Accepted);
        Assert.True(result.Outcome.Reason!.Length <= IngestService.MaxSummaryLength, $"{result.Outcome.Reason.Length} chars");
        var report = JsonSerializer.Deserialize<ValidationReport>(result.Report, PlatformJson.Options)!;
        Assert.Equal(DatasetLimits.Default.MaxListedFileProblems, report.FileProblems.Count);
        Assert.Equal(300, report.ProblemCountsByRule[ContractRules.ExtraColumn]);
        Assert.True(report.RowProblemsTruncated);
    }

    internal static ModelSpec Spec() => ContractTestSpecs.Churn(maxInvalid: 0.05);

    /// <summary>Rows of the churn contract spec; every <paramref name="badEvery"/>-th has an out-of-range age.</summary>
    internal static byte[] Csv(int rows, int badEvery)
    {
        var csv = new StringBuilder("age,plan,active,churned\n");
        for (var i = 0; i < rows; i++)
        {
            var age = badEvery > 0 && i % badEvery == 0 ? "999" : (i % 11 == 0 ? "" : (18 + (i * 7 % 60)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            csv.Append(age).Append(',').Append(i % 3 == 0 ? "pro" : "basic").Append(',').Append(i % 4 == 0 ? "false" : "true").Append(',').Append(i % 3 == 0 ^ i % 5 == 0 ? "true" : "false").Append('\n');
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    internal static void AssertSameData(TabularDataset expected, TabularDataset actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.Columns.Select(c => (c.Name, c.Kind)), actual.Columns.Select(c => (c.Name, c.Kind)));
        foreach (var column in expected.Columns)
        {
            var other = actual[column.Name];
            if (column.Kind == ColumnKind.Float)
            {
                // Bit-exact: the snapshot stores the parsed floats (NaN included) as they are.
                Assert.Equal(column.FloatValues.Select(BitConverter.SingleToInt32Bits), other.FloatValues.Select(BitConverter.SingleToInt32Bits));
                Assert.Equal(column.ClassNames, other.ClassNames);
            }
            else
            {
                Assert.Equal(column.TextValues, other.TextValues);
            }
        }
    }

    private static async Task<PlatformStorage> StorageAsync()
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(CancellationToken.None);
        return storage;
    }

    private static IngestService Service(PlatformStorage storage, IngestOptions options) =>
        new(storage, new ModelSpecStore(storage), NullLogger<IngestService>.Instance, Options.Create(options));

    /// <summary>Drops <paramref name="csv"/> for a new model (or <paramref name="model"/>), reads it as intake does and ingests it.</summary>
    private static async Task<Ingested> IngestAsync(PlatformStorage storage, byte[] csv, IngestOptions options, string? model = null, ModelSpec? spec = null)
    {
        model ??= Azurite.UniqueModel("stream");
        spec ??= Spec();
        var blob = storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, "data.csv"));
        await blob.UploadAsync(new BinaryData(csv), overwrite: true);
        var service = Service(storage, options);
        var read = await DropContent.ReadAsync(blob, service.Options, CancellationToken.None);
        var input = new PipelineInput($"{model}-{Guid.NewGuid():N}", model, read.Sha256, "data.csv", DateTimeOffset.UnixEpoch, blob.Name);
        var ingested = await service.IngestAsync(input, new DroppedFile(blob, read.Version), read.Content, new ModelSpecParseResult(spec, []), CancellationToken.None);
        var container = ingested.Outcome.Accepted ? storage.Processed : storage.Quarantine;
        var report = (await container.GetBlobClient(BlobLayout.ProcessedPrefix(model, read.Sha256) + BlobLayout.ReportName).DownloadContentAsync()).Value.Content.ToArray();
        var data = storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, read.Sha256));
        var snapshot = ingested.Outcome.Accepted ? (await data.DownloadContentAsync()).Value.Content.ToArray() : [];
        return new Ingested(model, read, ingested.Outcome, report, snapshot);
    }

    private sealed record Ingested(string Model, HashedDrop Read, IngestOutcome Outcome, byte[] Report, byte[] Snapshot);
}
