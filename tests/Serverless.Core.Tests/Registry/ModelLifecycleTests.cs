using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.Registry;
using Serverless.Core.Registry.Events;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Registry;

public sealed class ModelLifecycleTests
{
    private static readonly byte[] Onnx = [1, 2, 3];

    [Fact]
    public async Task A_version_an_alias_points_at_cannot_be_deleted_and_stays_intact()
    {
        var (storage, registry, lifecycle, _) = await CreateAsync();
        var model = Azurite.UniqueModel("life");
        await registry.RegisterAsync(RegistryFixture.Card(model, "run-1"), Onnx, CancellationToken.None);
        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "test", CancellationToken.None);
        await registry.SetAliasAsync(model, "staging", 1, "test", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<VersionInUseException>(() => lifecycle.DeleteVersionAsync(model, 1, "test", null, CancellationToken.None));

        Assert.Equal(["champion", "staging"], refused.Traffic.Aliases);
        Assert.NotNull(await registry.GetCardAsync(model, 1, CancellationToken.None));
        Assert.Equal(Onnx, await registry.GetModelAsync(model, 1, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_version_without_traffic_removes_it_and_its_number_is_never_reused()
    {
        var (storage, registry, lifecycle, events) = await CreateAsync();
        var model = Azurite.UniqueModel("life");
        await registry.RegisterAsync(RegistryFixture.Card(model, "run-1"), Onnx, CancellationToken.None);
        await registry.RegisterAsync(RegistryFixture.Card(model, "run-2"), Onnx, CancellationToken.None);
        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "test", CancellationToken.None);
        await storage.Registry.GetBlobClient(BlobLayout.RegistryReference(model, 2)).UploadAsync(new BinaryData("{}"));

        var deleted = await lifecycle.DeleteVersionAsync(model, 2, "cleanup", "admin", CancellationToken.None);

        Assert.Equal("run-2", deleted.RunId);
        Assert.Equal([1], (await registry.ListVersionsAsync(model, CancellationToken.None)).Select(v => v.Version));
        Assert.False(await storage.Registry.GetBlobClient(BlobLayout.RegistryReference(model, 2)).ExistsAsync());
        Assert.Empty(await registry.GetModelAsync(model, 2, CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => registry.SetAliasAsync(model, ModelAliases.Champion, 2, "test", CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => lifecycle.DeleteVersionAsync(model, 2, "again", null, CancellationToken.None));

        // A retry of the deleted version's run registers anew, under a new number.
        Assert.Equal(3, await registry.RegisterAsync(RegistryFixture.Card(model, "run-2"), Onnx, CancellationToken.None));
        var log = await events.ListAsync(model, CancellationToken.None);
        Assert.Contains(log, e => e.Event.Type == RegistryEventTypes.VersionDeleted && e.Event.Data.Version == 2 && e.Event.Data.By == "admin");
    }

    [Fact]
    public async Task An_archived_model_is_read_only_but_its_champion_stays_readable()
    {
        var (_, registry, lifecycle, events) = await CreateAsync();
        var model = Azurite.UniqueModel("life");
        await registry.RegisterAsync(RegistryFixture.Card(model, "run-1"), Onnx, CancellationToken.None);
        await registry.RegisterAsync(RegistryFixture.Card(model, "run-2"), Onnx, CancellationToken.None);
        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "test", CancellationToken.None);

        var archive = await lifecycle.ArchiveAsync(model, "superseded", "admin", CancellationToken.None);
        var again = await lifecycle.ArchiveAsync(model, "twice", "admin", CancellationToken.None);

        Assert.Equal(archive, again);
        await Assert.ThrowsAsync<ModelArchivedException>(() => registry.SetAliasAsync(model, ModelAliases.Champion, 2, "test", CancellationToken.None));
        await Assert.ThrowsAsync<ModelArchivedException>(() => registry.RegisterAsync(RegistryFixture.Card(model, "run-3"), Onnx, CancellationToken.None));
        await Assert.ThrowsAsync<ModelArchivedException>(() => lifecycle.DeleteVersionAsync(model, 2, "test", null, CancellationToken.None));
        Assert.Equal(1, (await registry.GetAliasesAsync(model, CancellationToken.None)).Get(ModelAliases.Champion));
        Assert.Equal(2, (await registry.ListVersionsAsync(model, CancellationToken.None)).Count);
        Assert.Single(await events.ListAsync(model, CancellationToken.None), e => e.Event.Type == RegistryEventTypes.ModelArchived);
    }

    private static async Task<(PlatformStorage, ModelRegistry, ModelLifecycle, RegistryEvents)> CreateAsync()
    {
        var storage = await RegistryFixture.StorageAsync();
        var events = new RegistryEvents(storage, [], Options.Create(new RegistryEventOptions()), TimeProvider.System, NullLogger<RegistryEvents>.Instance);
        var registry = new ModelRegistry(storage, TimeProvider.System, events);
        return (storage, registry, new ModelLifecycle(storage, registry, TimeProvider.System, events), events);
    }
}
