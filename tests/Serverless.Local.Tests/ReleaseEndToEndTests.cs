using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Intake;
using Serverless.App.Releases;
using Serverless.App.Serving;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Releases;
using Serverless.Core.Scoring;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>Releases on the real local host: canary steps, guardrail rollback, approval, shadow, with live traffic.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ReleaseEndToEndTests(LocalHostFixture host)
{
    private const string Row = """{"rows": [{"x": 0.25, "color": "red"}]}""";

    [Fact(Timeout = 180_000)]
    public async Task A_canary_goes_10_50_100_under_traffic_and_promotes_the_candidate()
    {
        var model = await TwoVersionsAsync("canary", new ReleaseSpec
        {
            Mode = ReleaseMode.Canary, Steps = [10, 50, 100], BakeTime = TimeSpan.FromSeconds(3),
            Guardrails = new ReleaseGuardrails { MaxErrorRate = 0.05, MaxP99LatencyMs = 10_000 },
        });

        using var stop = new CancellationTokenSource();
        var traffic = DriveAsync(model, stop.Token);
        var release = await FinishedAsync(model, await StartAsync(model, 2));
        await stop.CancelAsync();
        var answered = await traffic;

        Assert.Equal(ReleaseStatus.Promoted, release.Status);
        Assert.Equal([10, 50, 100], release.Steps.Select(s => s.Percent));
        Assert.All(release.Steps, s => Assert.True(s.Verdict!.Held, s.Verdict.Breaches));
        Assert.Contains(2, answered);
        Assert.Contains(1, answered);

        var aliases = await Registry.GetAliasesAsync(model, default);
        Assert.Equal(2, aliases.Get(ModelAliases.Champion));
        Assert.Null(aliases.Get(ModelAliases.Candidate));
        Assert.Equal([10, 50, 100], aliases.History.Where(h => h.Alias == ModelAliases.Candidate).Select(h => h.Percent!.Value));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_guardrail_breach_rolls_back_automatically_with_the_reason_in_the_record_and_the_history()
    {
        // v2's card asks for a feature no client sends: every request routed to it fails with field errors.
        var model = await TwoVersionsAsync("rollback", new ReleaseSpec
        {
            // The bake outlasts the hosts' refresh (2 s) and traffic-count flush (2 s) intervals.
            Mode = ReleaseMode.Canary, Steps = [20, 100], BakeTime = TimeSpan.FromSeconds(6),
            Guardrails = new ReleaseGuardrails { MaxErrorRate = 0.1, MinRequests = 1 },
        }, brokenCandidate: true);

        using var stop = new CancellationTokenSource();
        var traffic = DriveAsync(model, stop.Token);
        var release = await FinishedAsync(model, await StartAsync(model, 2));
        await stop.CancelAsync();
        await traffic;

        Assert.Equal(ReleaseStatus.RolledBack, release.Status);
        Assert.Single(release.Steps);
        Assert.StartsWith("guardrails breached at 20 %: error rate 1 (", release.Reason, StringComparison.Ordinal);
        var aliases = await Registry.GetAliasesAsync(model, default);
        Assert.Equal(1, aliases.Get(ModelAliases.Champion));
        Assert.Null(aliases.Get(ModelAliases.Candidate));
        Assert.Empty(aliases.Weights);
        Assert.Equal(0, aliases.History[^1].Percent);
        Assert.Contains("rolled back: guardrails breached at 20 %", aliases.History[^1].Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task Approval_required_waits_then_approve_promotes_and_reject_rolls_back()
    {
        var spec = new ReleaseSpec { Mode = ReleaseMode.Canary, Steps = [50, 100], BakeTime = TimeSpan.FromSeconds(2), Approval = ReleaseApproval.Required };
        var approved = await TwoVersionsAsync("approve", spec);
        var rejected = await TwoVersionsAsync("reject", spec);
        var approveId = await StartAsync(approved, 2);
        var rejectId = await StartAsync(rejected, 2);

        // Both bake at 50 % and then wait; the candidate keeps its share meanwhile.
        var waiting = await StatusAsync(approved, approveId, ReleaseStatus.AwaitingApproval);
        await StatusAsync(rejected, rejectId, ReleaseStatus.AwaitingApproval);
        Assert.Equal(50, waiting.Percent);
        Assert.Equal(50, (await Registry.GetAliasesAsync(approved, default)).Weights[ModelAliases.Candidate]);

        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync($"/api/models/{approved}/releases/{approveId}/approve", Json("""{"reason": "dashboards look fine"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync($"/api/models/{rejected}/releases/{rejectId}/reject", Json("""{"reason": "not this week"}"""))).StatusCode);

        var promoted = await FinishedAsync(approved, approveId);
        var rolledBack = await FinishedAsync(rejected, rejectId);
        Assert.Equal((ReleaseStatus.Promoted, 2), (promoted.Status, promoted.Steps.Count));
        Assert.Contains("admin", promoted.DecidedBy, StringComparison.Ordinal);
        Assert.Equal(2, (await Registry.GetAliasesAsync(approved, default)).Get(ModelAliases.Champion));
        Assert.Equal((ReleaseStatus.RolledBack, "rejected: not this week"), (rolledBack.Status, rolledBack.Reason));
        Assert.Equal(1, (await Registry.GetAliasesAsync(rejected, default)).Get(ModelAliases.Champion));

        // A finished release takes no decision; an unknown one is 404; a malformed id is 400.
        Assert.Equal(HttpStatusCode.Conflict, (await host.Http.PostAsync($"/api/models/{approved}/releases/{approveId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.PostAsync($"/api/models/{approved}/releases/nope/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync($"/api/models/{approved}/releases/a%20b")).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_failing_shadow_never_fails_or_answers_a_live_request_and_is_counted()
    {
        var model = await TwoVersionsAsync("shadow", new ReleaseSpec { Mode = ReleaseMode.Shadow }, brokenCandidate: true);
        await Registry.SetCandidateTrafficAsync(model, 2, 0, shadow: true, "test shadow", default);
        var shadows = host.Services.GetRequiredService<ShadowScoring>();
        var failedBefore = shadows.Failed;

        // Past the refresh interval every request carries a shadow copy; all are answered by the champion.
        await Eventually.TrueAsync(async () => { await PredictAsync(model, "k"); return shadows.Failed > failedBefore; }, TimeSpan.FromSeconds(20), "the shadow to score a copy");
        for (var i = 0; i < 30; i++)
        {
            var response = await PredictAsync(model, $"k{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("1", response.Headers.GetValues(TrafficRouting.VersionHeader).Single());
        }

        await Eventually.TrueAsync(() => Task.FromResult(shadows.Failed >= failedBefore + 31), TimeSpan.FromSeconds(20), "every copy to be scored");
        var stats = await Eventually.UntilAsync(
            async () => (await TrafficStats.ReadAsync(host.Storage, model, 2, default)) is [{ Errors: >= 31 } s] ? s : null,
            TimeSpan.FromSeconds(20),
            "the shadow's errors to be written");
        Assert.Equal(stats.Requests, stats.Errors);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_named_version_is_scored_directly_and_a_missing_one_is_404()
    {
        var model = await TwoVersionsAsync("named", new ReleaseSpec());
        var response = await host.Scoring.PostAsync($"/api/models/{model}/versions/2/predict", Json(Row));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!.Version);
        Assert.Equal("2", response.Headers.GetValues(TrafficRouting.VersionHeader).Single());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Scoring.PostAsync($"/api/models/{model}/versions/9/predict", Json(Row))).StatusCode);

        // Auto mode has no release to start.
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.PostAsync($"/api/models/{model}/versions/2/release", null)).StatusCode);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_training_run_whose_spec_asks_for_a_canary_ends_with_the_release_instead_of_the_promote_step()
    {
        var model = Azurite.UniqueModel("pipecanary");
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson(s => s["release"] = JsonNode.Parse("""{"mode": "canary", "steps": [10, 100], "bakeTime": "00:00:02"}""")));

        // The first version has no champion to share traffic with: promoted as before.
        var first = Samples.Csv(3000, seed: 21);
        await host.DropAsync(model, "first.csv", first);
        var run1 = await host.WaitForRunAsync(DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(first))));
        Assert.Equal(RunOutcomes.Promoted, run1.Result!.Outcome);
        Assert.DoesNotContain(run1.Progress!.Steps, s => s.Step == ReleaseLaunch.Step);

        var second = Samples.Csv(3000, seed: 22);
        var runId = DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(second)));
        await host.DropAsync(model, "second.csv", second);
        var run2 = await host.WaitForRunAsync(runId, TimeSpan.FromMinutes(3));

        // The run ends registered with its release started; the release promotes on its own.
        Assert.True(run2.Status == "Completed", run2.Error ?? run2.Progress?.Error);
        Assert.Equal(RunOutcomes.Registered, run2.Result!.Outcome);
        Assert.DoesNotContain(run2.Progress!.Steps, s => s.Step == PipelineSteps.Promote);
        Assert.StartsWith($"canary release {runId} started", run2.Progress.Steps.Single(s => s.Step == ReleaseLaunch.Step).Detail, StringComparison.Ordinal);
        var release = await FinishedAsync(model, runId);
        Assert.Equal((ReleaseStatus.Promoted, 2, 1), (release.Status, release.Candidate, release.Champion));
        Assert.Equal([10, 100], release.Steps.Select(s => s.Percent));
        Assert.Equal(2, (await Registry.GetAliasesAsync(model, default)).Get(ModelAliases.Champion));
    }

    private ModelRegistry Registry => host.Services.GetRequiredService<ModelRegistry>();

    /// <summary>A model whose spec has <paramref name="release"/>, with v1 champion and v2 registered.</summary>
    private async Task<string> TwoVersionsAsync(string prefix, ReleaseSpec release, bool brokenCandidate = false)
    {
        var model = Azurite.UniqueModel(prefix);
        await host.PutSpecAsync(model, JsonSerializer.Serialize(TinyModel.Spec with { Release = release }, PlatformJson.Options));
        var candidate = TinyModel.Card(model, 2);
        if (brokenCandidate)
        {
            candidate = candidate with { Inputs = [.. candidate.Inputs, new FeatureSpec("z", FeatureType.Numeric)] };
        }

        await TinyModel.ChampionAndCandidateAsync(Registry, model, candidate);
        return model;
    }

    private async Task<string> StartAsync(string model, int version)
    {
        var response = await host.Http.PostAsync($"/api/models/{model}/versions/{version}/release", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ReleaseStarted>(PlatformJson.Options))!.ReleaseId;
    }

    private Task<ReleaseRecord> FinishedAsync(string model, string id) =>
        Eventually.UntilAsync(
            async () => await GetAsync(model, id) is { } r && ReleaseStatus.IsFinished(r.Status) ? r : null,
            TimeSpan.FromSeconds(120),
            $"release {id} to finish",
            TimeSpan.FromMilliseconds(250));

    private Task<ReleaseRecord> StatusAsync(string model, string id, string status) =>
        Eventually.UntilAsync(
            async () => await GetAsync(model, id) is { } r && r.Status == status ? r : null,
            TimeSpan.FromSeconds(60),
            $"release {id} to be {status}",
            TimeSpan.FromMilliseconds(250));

    private async Task<ReleaseRecord?> GetAsync(string model, string id)
    {
        var response = await host.Http.GetAsync($"/api/models/{model}/releases/{id}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ReleaseRecord>(PlatformJson.Options) : null;
    }

    private Task<HttpResponseMessage> PredictAsync(string model, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{model}/predict") { Content = Json(Row) };
        request.Headers.Add(TrafficRouting.Header, key);
        return host.Scoring.SendAsync(request);
    }

    /// <summary>Keyed requests over 200 customers at a steady rate until stopped; the versions that answered.</summary>
    private async Task<List<int>> DriveAsync(string model, CancellationToken stop)
    {
        var answered = new List<int>();
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                using var response = await PredictAsync(model, $"customer-{i % 200}");
                if (response.Headers.TryGetValues(TrafficRouting.VersionHeader, out var version)) answered.Add(int.Parse(version.Single(), System.Globalization.CultureInfo.InvariantCulture));
                await pace.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return answered;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
