using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Serverless.App.Releases;
using Serverless.Core;
using Serverless.Core.Registry;
using Serverless.Core.Releases;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>A release is a durable orchestration: a host killed mid-bake finishes it after a restart.</summary>
public sealed class ReleaseRecoveryTests
{
    // Kills the host whenever the release is baking at 50 %: at that moment the orchestration may still hold the step's
    // activity result in its control queue, which the local host's short control-queue visibility hands back (the
    // backend's 5-minute default made this time out under load; see DurableSidecar).
    [Fact(Timeout = 420_000)]
    public async Task A_host_killed_during_a_bake_period_finishes_the_release_after_restart()
    {
        await using var azurite = new PrivateAzurite();
        await azurite.StartAsync();
        var taskHub = "release" + Guid.NewGuid().ToString("N")[..10];
        var model = Azurite.UniqueModel("relcrash");
        var registry = new ModelRegistry(new PlatformStorage(new BlobServiceClient(azurite.ConnectionString)), TimeProvider.System);
        var bake = TimeSpan.FromSeconds(15);
        string releaseId;

        await using (var first = new LocalHostProcess(taskHub, "release-key", azurite.ConnectionString))
        {
            await first.StartAsync();
            var spec = TinyModel.Spec with { Release = new ReleaseSpec { Mode = ReleaseMode.Canary, Steps = [50, 100], BakeTime = bake } };
            (await first.Http.PutAsync($"/api/models/{model}", new StringContent(JsonSerializer.Serialize(spec, PlatformJson.Options), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            await TinyModel.ChampionAndCandidateAsync(registry, model);

            var started = await first.Http.PostAsync($"/api/models/{model}/versions/2/release", null);
            Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
            releaseId = (await started.Content.ReadFromJsonAsync<ReleaseStarted>(PlatformJson.Options))!.ReleaseId;

            await Eventually.TrueAsync(async () => await GetAsync(first.Http, model, releaseId) is { Status: ReleaseStatus.Baking, Steps.Count: 1 },
                TimeSpan.FromSeconds(60), "the release to bake at 50 %");
            await first.KillAsync();
        }

        Assert.Equal(50, (await registry.GetAliasesAsync(model, default)).Weights[ModelAliases.Candidate]);

        await using var second = new LocalHostProcess(taskHub, "release-key", azurite.ConnectionString);
        await second.StartAsync();
        ReleaseRecord done;
        try
        {
            done = await Eventually.UntilAsync(
                async () => await GetAsync(second.Http, model, releaseId) is { } r && ReleaseStatus.IsFinished(r.Status) ? r : null,
                TimeSpan.FromMinutes(4),
                "the release to finish after the restart",
                TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n" + second.OutputTail, e);
        }

        Assert.Equal(ReleaseStatus.Promoted, done.Status);
        Assert.Equal([50, 100], done.Steps.Select(s => s.Percent));
        Assert.True(done.FinishedAt - done.StartedAt >= 2 * bake, $"two bake periods of {bake} passed: {done.FinishedAt - done.StartedAt}");
        Assert.Equal(2, (await registry.GetAliasesAsync(model, default)).Get(ModelAliases.Champion));
    }

    private static async Task<ReleaseRecord?> GetAsync(HttpClient http, string model, string id)
    {
        var response = await http.GetAsync($"/api/models/{model}/releases/{id}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ReleaseRecord>(PlatformJson.Options) : null;
    }
}
