using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Registry;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Releases;

/// <summary>Weighted aliases in the registry on Azurite, and how <see cref="ModelServer"/> routes by them.</summary>
public sealed class TrafficSplitTests
{
    [Fact]
    public async Task Weights_are_validated_and_recorded_in_the_alias_history()
    {
        var (_, registry, model) = await TwoVersionsAsync("weights");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.SetCandidateTrafficAsync(model, 2, 150, false, "t", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.SetCandidateTrafficAsync(model, 2, -1, false, "t", CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => registry.SetCandidateTrafficAsync(model, 9, 10, false, "t", CancellationToken.None));

        var aliases = await registry.SetCandidateTrafficAsync(model, 2, 10, false, "canary 10 %", CancellationToken.None);
        Assert.Equal(2, aliases.Get(ModelAliases.Candidate));
        Assert.Equal(10, aliases.Weights[ModelAliases.Candidate]);
        Assert.Equal((ModelAliases.Candidate, 10, "canary 10 %"), (aliases.History[^1].Alias, aliases.History[^1].Percent!.Value, aliases.History[^1].Reason));

        // Moving another alias keeps the split; a retry of the same step writes nothing.
        await registry.SetAliasAsync(model, "staging", 1, "t", CancellationToken.None);
        var again = await registry.SetCandidateTrafficAsync(model, 2, 10, false, "canary 10 %", CancellationToken.None);
        Assert.Equal(10, again.Weights[ModelAliases.Candidate]);
        Assert.Equal(aliases.History.Count + 1, again.History.Count);

        var ended = await registry.EndCandidateTrafficAsync(model, 2, "rolled back: error rate", CancellationToken.None);
        Assert.Null(ended.Get(ModelAliases.Candidate));
        Assert.Empty(ended.Weights);
        Assert.Equal((0, "rolled back: error rate"), (ended.History[^1].Percent!.Value, ended.History[^1].Reason));
        Assert.Equal(1, ended.Get(ModelAliases.Champion));
    }

    [Fact]
    public async Task Promotion_moves_the_champion_and_ends_the_split_unless_the_champion_changed()
    {
        var (_, registry, model) = await TwoVersionsAsync("promote");
        await registry.SetCandidateTrafficAsync(model, 2, 100, false, "canary 100 %", CancellationToken.None);

        var stale = await registry.PromoteCandidateAsync(model, 2, expectedChampion: 7, "t", CancellationToken.None);
        Assert.False(stale.Moved);
        Assert.Equal(1, (await registry.GetAliasesAsync(model, CancellationToken.None)).Get(ModelAliases.Champion));

        var move = await registry.PromoteCandidateAsync(model, 2, expectedChampion: 1, "guardrails held", CancellationToken.None);
        Assert.True(move.Moved);
        var aliases = await registry.GetAliasesAsync(model, CancellationToken.None);
        Assert.Equal(2, aliases.Get(ModelAliases.Champion));
        Assert.Null(aliases.Get(ModelAliases.Candidate));
        Assert.Empty(aliases.Weights);
        Assert.True((await registry.PromoteCandidateAsync(model, 2, 1, "retry", CancellationToken.None)).Moved);
    }

    [Fact]
    public async Task Routing_is_sticky_per_key_and_splits_keys_by_the_weight()
    {
        var (storage, registry, model) = await TwoVersionsAsync("route");
        await registry.SetCandidateTrafficAsync(model, 2, 10, false, "canary 10 %", CancellationToken.None);
        using var server = new ModelServer(registry, storage, TimeProvider.System, Options.Create(new ScoringOptions()));

        var keys = Enumerable.Range(0, 2_000).Select(i => $"customer-{i}").ToList();
        var first = new Dictionary<string, int>();
        foreach (var key in keys) first[key] = (await server.RouteAsync(model, key, CancellationToken.None))!.Live.Card.Version;
        foreach (var key in keys.Take(200)) Assert.Equal(first[key], (await server.RouteAsync(model, key, CancellationToken.None))!.Live.Card.Version);

        // Binomial(2000, 0.1): mean 200, sd 13.4; five sd either side.
        Assert.InRange(first.Values.Count(v => v == 2), 133, 267);
        Assert.All(keys, k => Assert.Equal(TrafficRouting.ToCandidate(k, 10) ? 2 : 1, first[k]));
        Assert.Equal([1, 2], server.LoadedVersions(model));
    }

    [Fact]
    public async Task A_shadow_answers_nothing_and_a_weight_change_is_served_after_the_refresh_interval()
    {
        var (storage, registry, model) = await TwoVersionsAsync("shadow");
        await registry.SetCandidateTrafficAsync(model, 2, 0, shadow: true, "shadow", CancellationToken.None);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = new ModelServer(registry, storage, clock, Options.Create(new ScoringOptions { ChampionRefreshInterval = TimeSpan.FromSeconds(2) }));

        var route = (await server.RouteAsync(model, "k", CancellationToken.None))!;
        Assert.Equal((1, 2), (route.Live.Card.Version, route.Shadow!.Card.Version));

        await registry.SetCandidateTrafficAsync(model, 2, 100, false, "canary 100 %", CancellationToken.None);
        Assert.Equal(1, (await server.RouteAsync(model, "k", CancellationToken.None))!.Live.Card.Version);
        clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(
            async () => (await server.RouteAsync(model, "k", CancellationToken.None))!.Live.Card.Version == 2,
            TimeSpan.FromSeconds(10),
            "the 100 % split to be served");
    }

    private static async Task<(PlatformStorage Storage, ModelRegistry Registry, string Model)> TwoVersionsAsync(string prefix)
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel(prefix);
        var registry = new ModelRegistry(storage, TimeProvider.System);
        foreach (var version in new[] { 1, 2 })
        {
            await registry.RegisterAsync(TinyModel.Card(model, version), TinyModel.Onnx, CancellationToken.None);
        }

        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "test", CancellationToken.None);
        return (storage, registry, model);
    }
}
