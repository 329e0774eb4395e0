using System.Text;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Serverless.Core;
using Serverless.Core.Registry;
using Serverless.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Console.Tests;

/// <summary>The model page's release form: a weight chosen in the browser reaches the aliases, is held, and a rejection removes it.</summary>
[Collection(ConsoleHostCollection.Name)]
public sealed class ConsoleReleaseTests(ConsoleHost host)
{
    [Fact]
    public async Task A_canary_weight_chosen_in_the_form_is_held_until_rejected_in_the_page()
    {
        var model = await TwoVersionsAsync();
        var page = await host.OpenAsync(ConsoleHost.AdminKey);
        var scriptErrors = new List<string>();
        page.PageError += (_, e) => scriptErrors.Add(e);
        await page.GotoAsync($"/console/#/models/{model}");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Start a release" });
        var outcome = page.Locator("p.outcome");

        // A canary whose weights do not end at 100 is refused by the API, at the field's path.
        await form.GetByLabel("Version").SelectOptionAsync("2");
        await form.GetByLabel("Mode").SelectOptionAsync("canary");
        await form.GetByLabel("Weights (%)").FillAsync("10, 5");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start release" }).ClickAsync();
        await Expect(outcome).ToContainTextAsync("$.steps[1]");
        Assert.Null((await Registry.GetAliasesAsync(model, default)).Get(ModelAliases.Candidate));

        // Hold at 25 %, from the keyboard: the weight is what the aliases give the candidate.
        await form.GetByLabel("Mode").SelectOptionAsync("hold");
        await form.GetByLabel("Weights (%)").FillAsync("25");
        await form.GetByLabel("Bake time").FillAsync("00:00:02");
        await form.GetByLabel("Bake time").PressAsync("Enter");
        await Eventually.TrueAsync(async () => (await Registry.GetAliasesAsync(model, default)).Weights.GetValueOrDefault(ModelAliases.Candidate) == 25, TimeSpan.FromSeconds(60), "the candidate at 25 %");

        // The page reloads with the release in its table, which follows it (refreshed on request) until it holds.
        var row = page.Locator("#releases tbody tr").First;
        await Eventually.TrueAsync(async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh releases" }).ClickAsync();
            return (await row.InnerTextAsync()).Contains("awaiting-approval", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), "the release to hold in the table");
        await Expect(row).ToContainTextAsync("25 %");
        await Expect(row).ToContainTextAsync("mode, steps, bakeTime (by key:");
        Assert.Empty((await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id));
        await ConsoleHost.ScreenshotAsync(page, "model-release");

        await row.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Eventually.TrueAsync(async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh releases" }).ClickAsync();
            return (await row.InnerTextAsync()).Contains("rolled-back", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), "the release to show as rolled back");
        await Expect(row).ToContainTextAsync("rejected: rejected in the console");
        var aliases = await Registry.GetAliasesAsync(model, default);
        Assert.Empty(aliases.Weights);
        Assert.Equal(1, aliases.Get(ModelAliases.Champion));
        Assert.True(scriptErrors.Count == 0, string.Join("\n", scriptErrors));
    }

    private ModelRegistry Registry => host.Host.Services.GetRequiredService<ModelRegistry>();

    /// <summary>A model that promotes at once by its spec (no release section), v1 champion and v2 registered.</summary>
    private async Task<string> TwoVersionsAsync()
    {
        var model = Azurite.UniqueModel("console-release");
        var put = await host.Http.PutAsync($"/api/models/{model}", new StringContent(JsonSerializer.Serialize(TinyModel.Spec, PlatformJson.Options), Encoding.UTF8, "application/json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        await TinyModel.ChampionAndCandidateAsync(Registry, model);
        return model;
    }
}
