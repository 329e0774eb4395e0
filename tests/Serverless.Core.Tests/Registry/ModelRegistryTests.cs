using Azure.Storage.Blobs.Models;
using Serverless.Core.Registry;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Registry;

public sealed class ModelRegistryTests
{
    private static readonly byte[] Onnx = [1, 2, 3];

    [Fact]
    public async Task Concurrent_registrations_get_distinct_consecutive_versions()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("reg");
        var registry = new ModelRegistry(storage, TimeProvider.System);

        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => registry.RegisterAsync(RegistryFixture.Card(model, $"run-{i}"), Onnx, CancellationToken.None))));

        Assert.Equal(Enumerable.Range(1, 8), versions.Order());
        var listed = await registry.ListVersionsAsync(model, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 8), listed.Select(v => v.Version));
        Assert.All(listed, v => Assert.Equal(v.Version, v.Card.Version));
        Assert.Equal(8, listed.Select(v => v.Card.RunId).Distinct().Count());
    }

    [Fact]
    public async Task Registering_the_same_run_twice_returns_the_version_it_claimed()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("reg");
        var registry = new ModelRegistry(storage, TimeProvider.System);

        var first = await registry.RegisterAsync(RegistryFixture.Card(model, "run-a"), Onnx, CancellationToken.None);
        var retry = await registry.RegisterAsync(RegistryFixture.Card(model, "run-a"), Onnx, CancellationToken.None);
        var other = await registry.RegisterAsync(RegistryFixture.Card(model, "run-b"), Onnx, CancellationToken.None);

        Assert.Equal(1, first);
        Assert.Equal(1, retry);
        Assert.Equal(2, other);
        Assert.Equal(2, (await registry.ListVersionsAsync(model, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_version_claimed_before_a_crash_is_completed_by_the_retry()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("reg");
        var registry = new ModelRegistry(storage, TimeProvider.System);
        await registry.RegisterAsync(RegistryFixture.Card(model, "run-a"), Onnx, CancellationToken.None);

        // Simulate a crash after the claim (model.onnx) but before the card: delete the card.
        await storage.Registry.GetBlobClient(BlobLayout.RegistryCard(model, 1)).DeleteAsync();
        Assert.Empty(await registry.ListVersionsAsync(model, CancellationToken.None));

        var retried = await registry.RegisterAsync(RegistryFixture.Card(model, "run-a"), Onnx, CancellationToken.None);

        Assert.Equal(1, retried);
        Assert.Single(await registry.ListVersionsAsync(model, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_alias_moves_are_all_applied_and_recorded()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("reg");
        var registry = new ModelRegistry(storage, TimeProvider.System);
        for (var i = 0; i < 3; i++)
        {
            await registry.RegisterAsync(RegistryFixture.Card(model, $"run-{i}"), Onnx, CancellationToken.None);
        }

        // Ten writers race on aliases.json; each write must survive (stale ETags are retried, not overwritten).
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => registry.SetAliasAsync(model, $"alias-{i}", (i % 3) + 1, "test", CancellationToken.None))));

        var aliases = await registry.GetAliasesAsync(model, CancellationToken.None);
        Assert.Equal(10, aliases.Aliases.Count);
        Assert.Equal(10, aliases.History.Count);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal((i % 3) + 1, aliases.Get($"alias-{i}"));
        }
    }

    [Fact]
    public async Task Alias_history_keeps_the_previous_version_for_rollback_audits()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("reg");
        var registry = new ModelRegistry(storage, TimeProvider.System);
        await registry.RegisterAsync(RegistryFixture.Card(model, "a"), Onnx, CancellationToken.None);
        await registry.RegisterAsync(RegistryFixture.Card(model, "b"), Onnx, CancellationToken.None);

        await registry.SetAliasAsync(model, ModelAliases.Champion, 2, "promote", CancellationToken.None);
        var rollback = await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "rollback", CancellationToken.None);

        Assert.Equal(2, rollback.PreviousVersion);
        var aliases = await registry.GetAliasesAsync(model, CancellationToken.None);
        Assert.Equal(1, aliases.Get(ModelAliases.Champion));
        Assert.Equal(["promote", "rollback"], aliases.History.Select(h => h.Reason));
        var versions = await registry.ListVersionsAsync(model, CancellationToken.None);
        Assert.Equal([ModelAliases.Champion], versions.Single(v => v.Version == 1).Aliases);
        Assert.Empty(versions.Single(v => v.Version == 2).Aliases);
    }

    [Fact]
    public async Task Aliasing_a_version_that_does_not_exist_fails_without_writing()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("reg");
        var registry = new ModelRegistry(storage, TimeProvider.System);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => registry.SetAliasAsync(model, ModelAliases.Champion, 7, "x", CancellationToken.None));
        Assert.False(await storage.Registry.GetBlobClient(BlobLayout.RegistryAliases(model)).ExistsAsync());
    }

    [Fact]
    public async Task Registered_model_bytes_carry_the_run_id()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("reg");
        var registry = new ModelRegistry(storage, TimeProvider.System);
        var v = await registry.RegisterAsync(RegistryFixture.Card(model, "run-z"), Onnx, CancellationToken.None);

        Assert.Equal(Onnx, await registry.GetModelAsync(model, v, CancellationToken.None));
        BlobProperties props = await storage.Registry.GetBlobClient(BlobLayout.RegistryModel(model, v)).GetPropertiesAsync();
        Assert.Equal("run-z", props.Metadata["runid"]);
    }
}
