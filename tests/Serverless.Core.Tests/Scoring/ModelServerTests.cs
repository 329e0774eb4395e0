using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Tests.Registry;
using Serverless.Core.Tests.Training;
using Serverless.Core.Training;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Scoring;

public sealed class ModelServerTests
{
    [Fact]
    public async Task A_promotion_is_served_after_the_refresh_interval_and_not_before()
    {
        var (storage, registry, model) = await TwoVersionsWithChampionOneAsync("srv");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = new ModelServer(registry, storage, clock, Options.Create(new ScoringOptions { ChampionRefreshInterval = TimeSpan.FromSeconds(2) }));

        Assert.Equal(1, (await server.GetChampionAsync(model, CancellationToken.None))!.Card.Version);
        await registry.SetAliasAsync(model, ModelAliases.Champion, 2, "test", CancellationToken.None);
        Assert.Equal(1, (await server.GetChampionAsync(model, CancellationToken.None))!.Card.Version);

        // Past the interval the next request still gets v1 at once and starts a background refresh; v2 follows.
        clock.Advance(TimeSpan.FromSeconds(2));
        var swapped = await Eventually.UntilAsync(
            async () => await server.GetChampionAsync(model, CancellationToken.None) is { Card.Version: 2 } m ? m : null,
            TimeSpan.FromSeconds(10),
            "version 2 to be served");

        var response = server.Predict(swapped, SyntheticData.EdgeRows(ModelTask.Binary));
        Assert.Equal(2, response.Version);
        Assert.Equal(6, response.Predictions.Count);
        Assert.Equal(6, response.Predictions.Select(p => p.Id).Distinct().Count());
        Assert.All(response.Predictions, p => Assert.InRange(p.Score!.Value, 0, 1));
    }

    [Fact]
    public async Task A_retired_champion_is_unloaded_after_the_grace_period_and_reloads_on_rollback()
    {
        var (storage, registry, model) = await TwoVersionsWithChampionOneAsync("retire");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var grace = TimeSpan.FromMinutes(1);
        using var server = new ModelServer(registry, storage, clock, Options.Create(new ScoringOptions { ChampionRefreshInterval = TimeSpan.FromSeconds(2), RetiredVersionGrace = grace }));
        Assert.Equal(1, (await server.GetChampionAsync(model, CancellationToken.None))!.Card.Version);

        await registry.SetAliasAsync(model, ModelAliases.Champion, 2, "test", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await ServedAsync(server, model, 2);
        Assert.Equal([1, 2], server.LoadedVersions(model));

        // Within the grace period v1 stays loaded (requests that picked it up before the swap may still run on it).
        clock.Advance(grace - TimeSpan.FromSeconds(1));
        Assert.Equal([1, 2], server.LoadedVersions(model));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([2], server.LoadedVersions(model));

        // A rollback loads v1 again.
        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "rollback", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        var back = await ServedAsync(server, model, 1);
        Assert.Equal(1, server.Predict(back, SyntheticData.EdgeRows(ModelTask.Binary)).Version);
    }

    // Two registered versions of one binary model, version 1 champion.
    private static async Task<(Serverless.Core.Storage.PlatformStorage Storage, ModelRegistry Registry, string Model)> TwoVersionsWithChampionOneAsync(string prefix)
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel(prefix);
        var registry = new ModelRegistry(storage, TimeProvider.System);
        var spec = SyntheticData.Spec(ModelTask.Binary, TrainerKind.LightGbm);
        var trained = new MlNetTrainer().Train(spec, SyntheticData.Create(ModelTask.Binary, rows: 400), CancellationToken.None);
        foreach (var run in new[] { "r1", "r2" })
        {
            await registry.RegisterAsync(RegistryFixture.Card(model, run, inputs: spec.Features), trained.Onnx, CancellationToken.None);
        }

        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "test", CancellationToken.None);
        return (storage, registry, model);
    }

    private static Task<LoadedModel> ServedAsync(ModelServer server, string model, int version) =>
        Eventually.UntilAsync(
            async () => await server.GetChampionAsync(model, CancellationToken.None) is { } m && m.Card.Version == version ? m : null,
            TimeSpan.FromSeconds(10),
            $"version {version} to be served");

    [Fact]
    public async Task A_model_without_champion_is_not_served()
    {
        var storage = await RegistryFixture.StorageAsync();
        var registry = new ModelRegistry(storage, TimeProvider.System);
        using var server = new ModelServer(registry, storage, TimeProvider.System, Options.Create(new ScoringOptions()));

        Assert.Null(await server.GetChampionAsync(Azurite.UniqueModel("none"), CancellationToken.None));
    }
}
