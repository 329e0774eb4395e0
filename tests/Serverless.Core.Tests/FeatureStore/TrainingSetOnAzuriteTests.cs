using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Datasets;
using Serverless.Core.FeatureStore;
using Serverless.Core.Ingest;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.FeatureStore;

/// <summary>
/// The training path on real Azurite: a drop of label rows (entity key, event_timestamp, raw column, label) passes
/// ingest's contract for a spec that names a view, and the train step's assembler joins the view's source snapshot.
/// </summary>
public sealed class TrainingSetOnAzuriteTests
{
    [Fact]
    public async Task A_drop_of_label_rows_is_ingested_and_joined_point_in_time_with_the_views_source()
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(CancellationToken.None);
        var (model, source) = (Azurite.UniqueModel("fvmodel"), Azurite.UniqueModel("fvsrc"));
        var catalog = FeatureViewCatalog.FromFiles([("profile.json", $$"""
            {
              "name": "profile", "entities": ["customer_id"], "owner": "crm", "ttl": "10.00:00:00",
              "features": [{ "name": "tenure", "type": "numeric" }, { "name": "plan", "type": "categorical" }],
              "source": { "dataset": "{{source}}", "timestampColumn": "updated_at" }
            }
            """)]);
        var rows = new TabularDataset(
        [
            DataColumn.Text("customer_id", ["c1", "c1", "c2"]),
            DataColumn.Text("updated_at", ["2026-01-01T00:00:00Z", "2026-01-05T00:00:00Z", "2026-01-03T00:00:00Z"]),
            DataColumn.Float("tenure", [1, 5, 3]),
            DataColumn.Text("plan", ["basic", "pro", "basic"]),
        ]);
        var sha = new string('f', 64);
        await DatasetVersions.WriteAsync(
            storage, new DatasetManifest(source, sha, 3, [], "profile.csv", DateTimeOffset.UnixEpoch, 0, "x"), await DatasetVersions.ToParquetAsync(rows, CancellationToken.None), CancellationToken.None);

        var spec = new ModelSpec
        {
            Task = ModelTask.Binary, Label = "churned",
            Features = [new("x", FeatureType.Numeric), new("tenure", FeatureType.Numeric, Nullable: true), new("plan", FeatureType.Categorical, Nullable: true)],
            FeatureViews = [new("profile")],
            Trainer = new TrainerSpec(TrainerKind.LightGbm, Compute: TrainerSpec.Cpu),
            MinimumRows = new MinimumRowsSpec(1, 0, 0, 0),
        };
        var csv = """
            customer_id,event_timestamp,x,churned
            c1,2026-01-04T12:00:00Z,0.5,true
            c1,2026-01-05T00:00:00Z,0.25,false
            c2,2026-01-02T00:00:00Z,1,false
            c3,2026-01-09T00:00:00Z,2,true
            c2,2026-01-20T00:00:00Z,3,true
            """;
        var blob = storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, "labels.csv"));
        await blob.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);
        var ingest = new IngestService(storage, new ModelSpecStore(storage), NullLogger<IngestService>.Instance, Options.Create(new IngestOptions()), featureViews: catalog);
        var read = await DropContent.ReadAsync(blob, ingest.Options, CancellationToken.None);
        var input = new PipelineInput($"{model}-run", model, read.Sha256, "labels.csv", DateTimeOffset.UnixEpoch, blob.Name);
        var ingested = await ingest.IngestAsync(input, new DroppedFile(blob, read.Version), read.Content, new ModelSpecParseResult(spec, []), CancellationToken.None);
        Assert.True(ingested.Outcome.Accepted, ingested.Outcome.Reason);

        var snapshot = await new Serverless.Core.Training.RunArtifacts(storage).ReadDatasetAsync(model, read.Sha256, CancellationToken.None);
        Assert.Equal(["x", "customer_id", "event_timestamp", "churned"], snapshot.Columns.Select(c => c.Name));
        var assembler = new TrainingSetAssembler(catalog, new FeatureSourceReader(storage, new FeatureViewFreshnessReader(storage, new FakeTimeProvider())));
        var training = await assembler.AssembleAsync(spec, snapshot, CancellationToken.None);

        Assert.Equal(["x", "tenure", "plan", "churned"], training.Columns.Select(c => c.Name));
        // c1 at Jan 4 12:00 sees Jan 1; at Jan 5 00:00 the row of that instant; c2 before its first row: none;
        // c3 has no rows; c2 on Jan 20 is 17 days after its row, past the 10-day TTL.
        Assert.Equal([1f, 5f, float.NaN, float.NaN, float.NaN], training["tenure"].FloatValues);
        Assert.Equal(new string?[] { "basic", "pro", null, null, null }.AsEnumerable(), training["plan"].TextValues.AsEnumerable());
        Assert.Equal([1f, 0f, 0f, 1f, 1f], training["churned"].FloatValues);
    }

    [Fact]
    public void A_spec_with_feature_views_and_a_sweep_is_refused_at_search()
    {
        var catalog = FeatureViewCatalog.FromFiles([("profile.json", FeatureViewCatalogTests.Definition("profile"))]);
        var spec = new ModelSpec
        {
            Task = ModelTask.Binary, Label = "y", Features = [new("f", FeatureType.Numeric, Nullable: true)],
            FeatureViews = [new("profile", ["f"])], Trainer = new TrainerSpec(TrainerKind.LightGbm, Compute: TrainerSpec.Cpu),
            Search = new SearchSpec { Space = new Dictionary<string, SearchDimension> { ["learningRate"] = new(SearchDistribution.Uniform, Min: 0.01, Max: 0.3) } },
        };

        var problem = Assert.Single(FeatureViewSpecs.Check(spec, catalog));
        Assert.Equal("$.search", problem.Path);
        Assert.Contains("feature views", problem.Message, StringComparison.Ordinal);
        Assert.Empty(FeatureViewSpecs.Check(spec with { Search = null }, catalog));
    }

    [Fact]
    public async Task A_spec_naming_an_unknown_view_or_mistyped_feature_is_quarantined_with_the_reason()
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(CancellationToken.None);
        var model = Azurite.UniqueModel("fvbad");
        var catalog = FeatureViewCatalog.FromFiles([("profile.json", FeatureViewCatalogTests.Definition("profile"))]);
        var spec = new ModelSpec
        {
            Task = ModelTask.Binary, Label = "y", Features = [new("f", FeatureType.Categorical, Nullable: true)],
            FeatureViews = [new("profile"), new("nope")], Trainer = new TrainerSpec(TrainerKind.LightGbm, Compute: TrainerSpec.Cpu),
        };
        var blob = storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, "labels.csv"));
        await blob.UploadAsync(new BinaryData("customer_id,event_timestamp,y\nc1,2026-01-01T00:00:00Z,true\n"u8.ToArray()), overwrite: true);
        var ingest = new IngestService(storage, new ModelSpecStore(storage), NullLogger<IngestService>.Instance, Options.Create(new IngestOptions()), featureViews: catalog);
        var read = await DropContent.ReadAsync(blob, ingest.Options, CancellationToken.None);
        var input = new PipelineInput($"{model}-run", model, read.Sha256, "labels.csv", DateTimeOffset.UnixEpoch, blob.Name);
        var ingested = await ingest.IngestAsync(input, new DroppedFile(blob, read.Version), read.Content, new ModelSpecParseResult(spec, []), CancellationToken.None);

        Assert.False(ingested.Outcome.Accepted);
        Assert.Contains("$.featureViews[0]: Feature 'f' is numeric in view 'profile'", ingested.Outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("$.featureViews[1].view: There is no feature view 'nope'", ingested.Outcome.Reason, StringComparison.Ordinal);
    }
}
