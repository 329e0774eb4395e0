using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core;
using Serverless.Core.Registry;

namespace Serverless.Cli.Tests;

/// <summary><c>release start</c> with the operator's weights, <c>release traffic</c> and <c>reject</c>, on a model of their own (the fixture's model keeps no releases).</summary>
[Collection(CliHostCollection.Name)]
public sealed class ReleaseStartTests(CliHostFixture host)
{
    [Fact(Timeout = 180_000)]
    public async Task Start_holds_the_chosen_weight_traffic_moves_it_and_reject_removes_it()
    {
        var model = await TwoVersionsAsync();
        var start = await host.RunAsync("release", "start", model, "2", "--mode", "hold", "--steps", "20", "--bake", "00:00:02");
        Assert.True(start.Code == 0, start.ToString());
        Assert.Contains("hold of v2 (champion v1)", start.Console);
        Assert.Contains("steps 20 %, bake 00:00:02, approval none; set here: mode, steps, bakeTime", start.Console);

        // The record is the orchestration's to write, just after the start answers: the id comes from the answer.
        var releaseId = System.Text.RegularExpressions.Regex.Match(start.Console, @"Release (\S+):").Groups[1].Value;
        await WeightAsync(model, 20);
        await Eventually.TrueAsync(async () => await StatusAsync(model, releaseId) == "awaiting-approval at 20 %", TimeSpan.FromSeconds(60), "the release to hold");

        var traffic = await host.RunAsync("release", "traffic", model, releaseId, "45");
        Assert.True(traffic.Code == 0, traffic.ToString());
        Assert.Contains("to 45 %", traffic.Console);
        await WeightAsync(model, 45);
        await Eventually.TrueAsync(async () => await StatusAsync(model, releaseId) == "awaiting-approval at 45 %", TimeSpan.FromSeconds(60), "the release to hold at the new weight");

        var reject = await host.RunAsync("release", "reject", model, releaseId, "--reason", "seen enough");
        Assert.True(reject.Code == 0, reject.ToString());
        await Eventually.TrueAsync(async () => await StatusAsync(model, releaseId) == "rolled-back at 0 %", TimeSpan.FromSeconds(60), "the release to roll back");
        var aliases = await Registry.GetAliasesAsync(model, default);
        Assert.Null(aliases.Get(ModelAliases.Candidate));
        Assert.Empty(aliases.Weights);
    }

    [Fact]
    public async Task Bad_weights_are_refused_locally_or_by_the_api_at_their_path()
    {
        var model = await TwoVersionsAsync();
        var notNumbers = await host.RunAsync("release", "start", model, "2", "--steps", "10,half,100");
        Assert.Equal(CliExitCodes.InvalidInput, notNumbers.Code);
        Assert.Contains("not 'half'", notNumbers.Error);

        var decreasing = await host.RunAsync("release", "start", model, "2", "--mode", "canary", "--steps", "10,5,100");
        Assert.Equal(CliExitCodes.ApiError, decreasing.Code);
        Assert.StartsWith("error: 400", decreasing.Error);
        Assert.Contains("$.steps[1]", decreasing.Error);

        // The spec says auto and no --mode was given: nothing to release step by step.
        var auto = await host.RunAsync("release", "start", model, "2");
        Assert.Equal(CliExitCodes.ApiError, auto.Code);
        Assert.Contains("auto promotes at once", auto.Error);
    }

    private ModelRegistry Registry => host.Services.GetRequiredService<ModelRegistry>();

    private async Task<string> TwoVersionsAsync()
    {
        var model = Azurite.UniqueModel("cli-release");
        var put = await host.Http.PutAsync($"/api/models/{model}", new StringContent(JsonSerializer.Serialize(TinyModel.Spec, PlatformJson.Options), Encoding.UTF8, "application/json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        await TinyModel.ChampionAndCandidateAsync(Registry, model);
        return model;
    }

    private Task WeightAsync(string model, int percent) =>
        Eventually.TrueAsync(async () => (await Registry.GetAliasesAsync(model, default)).Weights.GetValueOrDefault(ModelAliases.Candidate) == percent, TimeSpan.FromSeconds(60), $"the candidate at {percent} %");

    private async Task<string> StatusAsync(string model, string releaseId) =>
        await host.Http.GetFromJsonAsync<JsonNode>($"/api/models/{model}/releases/{releaseId}") is { } r ? $"{r["status"]} at {r["percent"]} %" : "none";
}
