using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Promotion;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Evaluation;
using Serverless.Core.Registry;
using Serverless.Core.Specs;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>Promotions and rollbacks racing each other and the pipeline's own promote step.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class PromotionRaceTests(LocalHostFixture host)
{
    private LocalHostFixture Host => host;

    [Fact]
    public async Task Concurrent_promotions_and_rollbacks_answer_200_or_409_and_leave_a_consistent_history()
    {
        var model = Azurite.UniqueModel("race");
        var registry = Host.Services.GetRequiredService<ModelRegistry>();
        for (var v = 1; v <= 3; v++)
        {
            await registry.RegisterAsync(Card(model, $"run-{v}"), [1, 2, 3], default);
        }

        // 24 callers at once, each moving the champion to one of three versions (forward = promote, back = rollback).
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Host.Http.PostAsync($"/api/models/{model}/versions/{1 + (i % 3)}/promote", null)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)r.StatusCode}: {r.Content.ReadAsStringAsync().Result}"));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            var problem = await conflict.Content.ReadFromJsonAsync<ProblemDetails>();
            Assert.Equal(409, problem!.Status);
            Assert.Contains("not promoted", problem.Detail, StringComparison.Ordinal);
        }

        // Every 200 is one history entry, and the alias is where the last entry put it.
        var aliases = await registry.GetAliasesAsync(model, default);
        Assert.Equal(responses.Count(r => r.StatusCode == HttpStatusCode.OK), aliases.History.Count);
        Assert.Equal(aliases.History[^1].Version, aliases.Get(ModelAliases.Champion));
        for (var i = 1; i < aliases.History.Count; i++)
        {
            Assert.Equal(aliases.History[i - 1].Version, aliases.History[i].PreviousVersion);
        }
    }

    [Fact]
    public async Task The_promote_step_does_not_override_a_champion_changed_since_evaluation()
    {
        var model = Azurite.UniqueModel("cond");
        var registry = Host.Services.GetRequiredService<ModelRegistry>();
        var promotion = Host.Services.GetRequiredService<ChampionPromotion>();
        for (var v = 1; v <= 3; v++)
        {
            await registry.RegisterAsync(Card(model, $"run-{v}"), [1, 2, 3], default);
        }

        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "first", default);

        // Run 3's gate compared against v1; before its promote step, an operator rolled forward to v2.
        await registry.SetAliasAsync(model, ModelAliases.Champion, 2, "manual", default);
        var outcome = await promotion.PromoteAsync(new PromoteRequest("run-3", model, 3, ExpectedChampion: 1), default);

        Assert.False(outcome.Promoted);
        Assert.Equal(2, outcome.Champion);
        Assert.Contains("changed from v1 to v2", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(2, (await registry.GetAliasesAsync(model, default)).Get(ModelAliases.Champion));

        // Against the champion it did see, it promotes; a retried step gets the same answer and writes no second entry.
        Assert.True((await promotion.PromoteAsync(new PromoteRequest("run-3", model, 3, ExpectedChampion: 2), default)).Promoted);
        Assert.True((await promotion.PromoteAsync(new PromoteRequest("run-3", model, 3, ExpectedChampion: 2), default)).Promoted);
        var aliases = await registry.GetAliasesAsync(model, default);
        Assert.Equal(3, aliases.Get(ModelAliases.Champion));
        Assert.Equal([1, 2, 3], aliases.History.Select(h => h.Version));

        // No champion at evaluation, one now: not promoted either.
        var fresh = Azurite.UniqueModel("cond");
        await registry.RegisterAsync(Card(fresh, "run-a"), [1], default);
        await registry.RegisterAsync(Card(fresh, "run-b"), [1], default);
        await registry.SetAliasAsync(fresh, ModelAliases.Champion, 1, "manual", default);
        var late = await promotion.PromoteAsync(new PromoteRequest("run-b", fresh, 2, ExpectedChampion: null), default);
        Assert.False(late.Promoted);
        Assert.Contains("from none to v1", late.Detail, StringComparison.Ordinal);
    }

    private static ModelCard Card(string model, string runId) => new()
    {
        Model = model,
        RunId = runId,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Task = ModelTask.Binary,
        Inputs = [new FeatureSpec("x", FeatureType.Numeric)],
        Trainer = TrainerKind.LightGbm,
        TrainerParameters = new Dictionary<string, string>(),
        Metrics = new Dictionary<string, double> { ["auc"] = 0.9 },
        Gate = new GateReport(true, [], new Dictionary<string, double> { ["auc"] = 0.9 }, null, null, null),
        DatasetSha256 = new string('a', 64),
        SpecSha256 = new string('b', 64),
        PlatformVersion = "test",
    };
}
