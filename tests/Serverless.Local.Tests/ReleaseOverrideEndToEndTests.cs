using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Releases;
using Serverless.Core;
using Serverless.Core.Registry;
using Serverless.Core.Releases;
using Serverless.Core.Specs;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// Releases started with an operator's settings on the real local host: overridden canary steps, a weight held until a
/// decision (guardrails judged every period), moving a held weight, and the 400/413 answers for bad settings.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ReleaseOverrideEndToEndTests(LocalHostFixture host)
{
    /// <summary>The stored spec: a canary at 10 → 50 → 100 % with 10-minute bakes, which every test overrides.</summary>
    private static readonly ReleaseSpec Stored = new() { Mode = ReleaseMode.Canary, Steps = [10, 50, 100], BakeTime = TimeSpan.FromMinutes(10) };

    [Fact(Timeout = 180_000)]
    public async Task Overridden_steps_are_the_weights_written_to_the_aliases_and_the_record_keeps_the_settings()
    {
        var model = await TwoVersionsAsync("ovsteps");
        var started = await StartAsync(model, """{"steps": [20, 100], "bakeTime": "00:00:02"}""");
        Assert.Equal([20, 100], started.Release!.Steps);
        Assert.Equal(["steps", "bakeTime"], started.Overrides);

        var release = await FinishedAsync(model, started.ReleaseId);
        Assert.Equal(ReleaseStatus.Promoted, release.Status);
        Assert.Equal([20, 100], release.Steps.Select(s => s.Percent));
        Assert.Equal([20, 100], release.Release!.Steps);
        Assert.Equal(TimeSpan.FromSeconds(2), release.Release.BakeTime);
        Assert.Equal(["steps", "bakeTime"], release.Overrides);
        Assert.Contains("admin", release.StartedBy, StringComparison.Ordinal);

        var aliases = await Registry.GetAliasesAsync(model, default);
        Assert.Equal([20, 100], aliases.History.Where(h => h.Alias == ModelAliases.Candidate).Select(h => h.Percent!.Value));
        Assert.Equal(2, aliases.Get(ModelAliases.Champion));

        // The spec itself is untouched: the override was for that release only.
        var spec = (await host.Http.GetFromJsonAsync<JsonElement>($"/api/models/{model}", PlatformJson.Options)).GetProperty("spec").GetProperty("release");
        Assert.Equal("[10,50,100]", spec.GetProperty("steps").GetRawText());
    }

    [Fact(Timeout = 180_000)]
    public async Task A_held_weight_stays_through_bake_periods_moves_on_request_and_a_rejection_removes_it()
    {
        var model = await TwoVersionsAsync("ovhold");
        var started = await StartAsync(model, """{"mode": "hold", "steps": [30], "bakeTime": "00:00:02"}""");
        Assert.Equal("hold", started.Mode);

        // Held at 30 % past several judged periods, taking decisions all along.
        var held = await UntilAsync(model, started.ReleaseId, r => r.Steps is [{ Periods: >= 3 }], "three bake periods at 30 %");
        Assert.Equal((ReleaseStatus.AwaitingApproval, 30), (held.Status, held.Percent));
        Assert.Equal(30, (await Registry.GetAliasesAsync(model, default)).Weights[ModelAliases.Candidate]);

        // The operator moves the weight; the release keeps holding at the new one.
        var moved = await host.Http.PostAsync($"/api/models/{model}/releases/{started.ReleaseId}/traffic", Json("""{"percent": 60}"""));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await Eventually.TrueAsync(async () => (await Registry.GetAliasesAsync(model, default)).Weights.GetValueOrDefault(ModelAliases.Candidate) == 60, TimeSpan.FromSeconds(60), "the candidate at 60 %");
        var atSixty = await UntilAsync(model, started.ReleaseId, r => r is { Status: ReleaseStatus.AwaitingApproval, Steps: [_, { Percent: 60 }] }, "holding at 60 %");
        Assert.Equal(60, atSixty.Percent);
        Assert.Contains("admin", atSixty.Steps[1].SetBy, StringComparison.Ordinal);
        Assert.Null(atSixty.Steps[0].SetBy);

        var rejected = await host.Http.PostAsync($"/api/models/{model}/releases/{started.ReleaseId}/reject", Json("""{"reason": "enough"}"""));
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var release = await FinishedAsync(model, started.ReleaseId);
        Assert.Equal((ReleaseStatus.RolledBack, "rejected: enough"), (release.Status, release.Reason));
        var aliases = await Registry.GetAliasesAsync(model, default);
        Assert.Null(aliases.Get(ModelAliases.Candidate));
        Assert.Empty(aliases.Weights);
        Assert.Equal(1, aliases.Get(ModelAliases.Champion));
        Assert.Equal([30, 60, 0], aliases.History.Where(h => h.Alias == ModelAliases.Candidate).Select(h => h.Percent!.Value));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_held_weight_is_still_judged_and_a_breach_rolls_it_back()
    {
        // No traffic reaches the candidate, so minRequests is breached at the end of the first period.
        var model = await TwoVersionsAsync("ovbreach");
        var started = await StartAsync(model, """{"mode": "hold", "steps": [25], "bakeTime": "00:00:02", "guardrails": {"minRequests": 1}}""");
        var release = await FinishedAsync(model, started.ReleaseId);
        Assert.Equal(ReleaseStatus.RolledBack, release.Status);
        Assert.StartsWith("guardrails breached at 25 %: 0 requests reached v2", release.Reason, StringComparison.Ordinal);
        Assert.Null((await Registry.GetAliasesAsync(model, default)).Get(ModelAliases.Candidate));
    }

    [Fact(Timeout = 120_000)]
    public async Task Bad_settings_are_400_with_the_path_in_the_body_and_a_big_body_is_413()
    {
        var model = await TwoVersionsAsync("ovbad");
        await AssertProblemAsync(model, """{"steps": [10, 5, 100]}""", "$.steps[1]");
        await AssertProblemAsync(model, """{"steps": [10, 50]}""", "$.steps[1]");
        await AssertProblemAsync(model, """{"mode": "bluegreen"}""", "$.mode");
        await AssertProblemAsync(model, """{"guardrails": {"maxErrorRate": 2}}""", "$.guardrails.maxErrorRate");
        await AssertProblemAsync(model, """{"weights": {"candidate": 10}}""", "$.weights");
        await AssertProblemAsync(model, "[]", "$");

        var big = await host.Http.PostAsync($"/api/models/{model}/versions/2/release", Json($$"""{"routingKey": "{{new string('k', ReleaseRequests.MaxSettingsBytes)}}"}"""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);

        // Nothing was started by any of them; moving the weight of no release is 404, a bad percent 400.
        Assert.Empty(await host.Http.GetFromJsonAsync<List<ReleaseRecord>>($"/api/models/{model}/releases", PlatformJson.Options) ?? []);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.PostAsync($"/api/models/{model}/releases/nope/traffic", Json("""{"percent": 10}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.PostAsync($"/api/models/{model}/releases/nope/traffic", Json("""{"percent": 0}"""))).StatusCode);
    }

    private async Task AssertProblemAsync(string model, string body, string path)
    {
        var response = await host.Http.PostAsync($"/api/models/{model}/versions/2/release", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options);
        Assert.Contains(path, problem!.Problems!.Select(p => p.Path));
    }

    private ModelRegistry Registry => host.Services.GetRequiredService<ModelRegistry>();

    /// <summary>A model whose spec releases by <see cref="Stored"/>, with v1 champion and v2 registered.</summary>
    private async Task<string> TwoVersionsAsync(string prefix)
    {
        var model = Azurite.UniqueModel(prefix);
        await host.PutSpecAsync(model, JsonSerializer.Serialize(TinyModel.Spec with { Release = Stored }, PlatformJson.Options));
        await TinyModel.ChampionAndCandidateAsync(Registry, model);
        return model;
    }

    private async Task<ReleaseStarted> StartAsync(string model, string body)
    {
        var response = await host.Http.PostAsync($"/api/models/{model}/versions/2/release", Json(body));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ReleaseStarted>(PlatformJson.Options))!;
    }

    private Task<ReleaseRecord> FinishedAsync(string model, string id) =>
        UntilAsync(model, id, r => ReleaseStatus.IsFinished(r.Status), "to finish");

    private Task<ReleaseRecord> UntilAsync(string model, string id, Func<ReleaseRecord, bool> done, string what) =>
        Eventually.UntilAsync(
            async () =>
            {
                var response = await host.Http.GetAsync($"/api/models/{model}/releases/{id}");
                return response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<ReleaseRecord>(PlatformJson.Options) is { } r && done(r) ? r : null;
            },
            TimeSpan.FromSeconds(120),
            $"release {id}: {what}",
            TimeSpan.FromMilliseconds(250));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
