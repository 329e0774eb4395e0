using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Datasets;
using Serverless.Core.FeatureStore;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.FeatureStore;

/// <summary>The catalog's details over real Azurite: models that name a view, and freshness from the source's newest snapshot.</summary>
public sealed class FeatureCatalogServiceTests
{
    [Fact]
    public async Task Details_list_the_models_that_use_the_view_and_its_source_freshness()
    {
        await Azurite.EnsureRunningAsync();
        var account = Azurite.Blobs();
        var storage = new PlatformStorage(account);
        await storage.EnsureContainersAsync(CancellationToken.None);
        var view = Azurite.UniqueModel("fv").Replace('-', '_');
        view = "v" + view[1..];
        var dataset = Azurite.UniqueModel("src");
        var catalog = FeatureViewCatalog.FromFiles([($"{view}.json", FeatureViewCatalogTests.Definition(view).Replace("\"src\"", $"\"{dataset}\"", StringComparison.Ordinal))]);
        var specs = new ModelSpecStore(storage);
        var (user, other) = (Azurite.UniqueModel("user"), Azurite.UniqueModel("other"));
        await specs.PutAsync(user, Spec([new(view, ["f"])]), CancellationToken.None);
        await specs.PutAsync(other, Spec(null), CancellationToken.None);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T12:00:00Z"));
        var service = new FeatureCatalogService(catalog, new FeatureViewUsers(storage, specs), new FeatureViewFreshnessReader(storage, time));

        var before = await service.DescribeAsync(view, CancellationToken.None);
        Assert.Equal([user], before!.UsedBy);
        Assert.Null(before.Freshness.SourceVersion);

        var received = time.GetUtcNow().AddMinutes(-90);
        await DatasetVersions.WriteManifestAsync(storage, new DatasetManifest(dataset, "old", 3, [], "a.csv", received.AddDays(-1), 0, "x"), CancellationToken.None);
        await DatasetVersions.WriteManifestAsync(storage, new DatasetManifest(dataset, "new", 5, [], "b.csv", received, 0, "x"), CancellationToken.None);
        var after = await service.DescribeAsync(view, CancellationToken.None);
        Assert.Equal("new", after!.Freshness.SourceVersion);
        Assert.Equal(5, after.Freshness.SourceRows);
        Assert.Equal(90 * 60, after.Freshness.AgeSeconds!.Value, 1e-6);

        var hit = Assert.Single(await service.SearchAsync(new FeatureViewQuery(Name: view), CancellationToken.None));
        Assert.Equal([user], hit.UsedBy);
        Assert.Null(await service.DescribeAsync("no_such_view", CancellationToken.None));
    }

    private static ModelSpec Spec(IReadOnlyList<FeatureViewReference>? views) =>
        new() { Task = ModelTask.Binary, Label = "y", Features = [new("x", FeatureType.Numeric)], FeatureViews = views };
}
