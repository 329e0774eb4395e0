using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Serverless.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Console.Tests;

/// <summary>
/// The console in a real headless Chromium against the real local host on Azurite: everything is done through the
/// page (upload, promote, check, explain) and the outcome checked through the API as well. Screenshots go to
/// TestResults/console.
/// </summary>
[Collection(ConsoleHostCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleHost host)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Upload_train_promote_an_older_version_see_drift_flagged_and_explain_a_row()
    {
        var model = Azurite.UniqueModel("console");
        var page = await host.OpenAsync(ConsoleHost.AdminKey);
        var axe = new List<string>();
        // Uncaught script errors and CSP refusals (an inline style or script, another origin) fail the test.
        var scriptErrors = new List<string>();
        page.PageError += (_, e) => scriptErrors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error" && m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) scriptErrors.Add(m.Text); };

        // Upload the spec and a dataset through the browser; the page follows the run until it finishes.
        await page.GetByRole(AriaRole.Link, new() { Name = "Upload", Exact = true }).ClickAsync();
        await page.GetByLabel("Model name").First.FillAsync(model);
        await page.Locator("#spec-file").SetInputFilesAsync(ConsoleSample.WriteTemp("model.json", ConsoleSample.SpecJson()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Store the spec" }).ClickAsync();
        await Expect(page.Locator("#spec-outcome")).ToContainTextAsync($"Stored the spec of {model}");
        await AxeAsync(page, "upload", axe);

        await UploadDatasetAsync(page, model, ConsoleSample.Csv(1500, seed: 61));
        await Expect(page.Locator("#steps")).ToContainTextAsync("promote");
        await Expect(page.Locator("#metrics")).ToContainTextAsync("auc");
        await ConsoleHost.ScreenshotAsync(page, "run");
        await AxeAsync(page, "run", axe);

        await UploadDatasetAsync(page, model, ConsoleSample.Csv(1500, seed: 62));

        // The models page shows the champion at a glance.
        await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
        var row = page.Locator("#models tr", new() { HasText = model });
        await Expect(row).ToContainTextAsync("v2 of 2");
        await AxeAsync(page, "models", axe);

        // Roll back to v1 through the UI; the API then serves v1.
        await row.GetByRole(AriaRole.Link, new() { Name = model }).ClickAsync();
        await Expect(page.Locator("#champion")).ToHaveTextAsync("Champion: version 2");
        await page.Locator("[data-promote='1']").ClickAsync();
        await Expect(page.Locator("#champion")).ToHaveTextAsync("Champion: version 1");
        var rows = ConsoleSample.Rows(ConsoleSample.Csv(5, seed: 3));
        await Eventually.TrueAsync(async () => await ServedVersionAsync(model, rows) == 1, TimeSpan.FromSeconds(30), "v1 to be served");

        // Explain a pasted row.
        await page.GetByLabel("Row to explain (JSON object of raw features)").FillAsync(JsonSerializer.Serialize(rows[0]));
        await page.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();
        await Expect(page.Locator("#explain-prediction")).ToContainTextAsync("v1:");
        await Expect(page.Locator("#attributions tbody tr")).ToHaveCountAsync(rows[0].Count);
        await Expect(page.Locator("#attributions")).ToContainTextAsync("monthly_charges");
        await ConsoleHost.ScreenshotAsync(page, "model");
        await AxeAsync(page, "model", axe);

        // A shifted batch of traffic, then the drift check from the drift page: the shifted features are flagged.
        var shifted = ConsoleSample.Rows(ConsoleSample.Shifted(ConsoleSample.Csv(2000, seed: 97)));
        var predicted = await host.Http.PostAsync($"/api/models/{model}/predict", ConsoleSample.Json(new { rows = shifted }));
        Assert.True(predicted.IsSuccessStatusCode, await predicted.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => await CheckedRowsAsync(model) >= shifted.Count, TimeSpan.FromSeconds(30), "the shifted traffic to be logged and checked");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Model" }).GetByRole(AriaRole.Link, new() { Name = "Drift" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the drift check now" }).ClickAsync();
        // The page reloads its reports once the check answers (the outcome line empties again).
        await Expect(page.Locator(".outcome")).ToBeEmptyAsync();
        await Expect(page.Locator("#drift-summary")).ToContainTextAsync("drift");
        foreach (var feature in new[] { "monthly_charges", "contract" })
        {
            await Expect(page.Locator("#drift-features tr", new() { HasText = feature }).First).ToContainTextAsync("drifted");
        }

        await Expect(page.Locator("#drift-features tr", new() { HasText = "tenure_months" })).ToContainTextAsync("stable");
        await Expect(page.Locator("figure.chart canvas").First).ToBeVisibleAsync();
        await Expect(page.Locator("figure.chart", new() { HasText = "monthly_charges (drifted)" })).ToBeVisibleAsync();
        await ConsoleHost.ScreenshotAsync(page, "drift");
        await AxeAsync(page, "drift", axe);

        // Live quality, the labeling queue and the feature catalog read their routes and pass axe too.
        var modelNav = page.GetByRole(AriaRole.Navigation, new() { Name = "Model" });
        await modelNav.GetByRole(AriaRole.Link, new() { Name = "Live quality" }).ClickAsync();
        await Expect(page.Locator("#live-quality")).ToContainTextAsync("v1");
        await AxeAsync(page, "quality", axe);
        await modelNav.GetByRole(AriaRole.Link, new() { Name = "Labeling" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Labeling queue of {model}" })).ToBeVisibleAsync();
        await Expect(page.Locator("p.loading")).ToHaveCountAsync(0);
        await AxeAsync(page, "labeling", axe);
        await page.GetByRole(AriaRole.Link, new() { Name = "Feature catalog", Exact = true }).ClickAsync();
        // The repository's feature views (features/) are in the catalog: open the first one's definition.
        await page.Locator("#features tbody tr").First.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.Locator("#feature-view")).ToContainTextAsync("Definition hash");
        await AxeAsync(page, "features", axe);
        await page.GotoAsync($"/console/#/models/{model}");

        // The datasets page lists both uploads with their manifests.
        await modelNav.GetByRole(AriaRole.Link, new() { Name = "Datasets" }).ClickAsync();
        await Expect(page.Locator("#datasets tbody tr")).ToHaveCountAsync(2);
        await page.Locator("#datasets tbody tr").First.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.Locator("#dataset-detail")).ToContainTextAsync("Validation report");
        await AxeAsync(page, "datasets", axe);

        // Back on the models page, the model's drift is flagged at a glance.
        await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
        await Expect(row).ToContainTextAsync("monthly_charges");
        await ConsoleHost.ScreenshotAsync(page, "models");

        Assert.True(axe.Count == 0, string.Join("\n", axe));
        Assert.True(scriptErrors.Count == 0, string.Join("\n", scriptErrors));
    }

    [Fact]
    public async Task A_rejected_upload_shows_its_quarantine_report_with_the_row_problems()
    {
        var model = Azurite.UniqueModel("reject");
        Assert.True((await host.Http.PutAsync($"/api/models/{model}", new StringContent(ConsoleSample.SpecJson(), System.Text.Encoding.UTF8, "application/json"))).IsSuccessStatusCode);
        var bad = ConsoleSample.WithContract(ConsoleSample.Csv(200, seed: 5), rows: 20, "monthly");
        var page = await host.OpenAsync(ConsoleHost.AdminKey);

        await page.GotoAsync("/console/#/upload");
        await UploadDatasetAsync(page, model, bad, expect: "Completed");
        await Expect(page.Locator("#quarantine")).ToContainTextAsync("quarantined");
        await Expect(page.Locator("#row-problems")).ToContainTextAsync("monthly");
        await Expect(page.Locator("#row-problems tbody tr")).ToHaveCountAsync(20);
        await ConsoleHost.ScreenshotAsync(page, "quarantine");

        await page.GotoAsync($"/console/#/models/{model}/datasets");
        await Expect(page.Locator("#quarantined")).ToContainTextAsync("contract");
        var axe = new List<string>();
        await AxeAsync(page, "quarantine", axe);
        Assert.True(axe.Count == 0, string.Join("\n", axe));
    }

    [Fact]
    public async Task A_scoring_key_sees_admin_actions_disabled_with_the_reason()
    {
        var page = await host.OpenAsync(host.Host.ScoringKey);
        await Expect(page.Locator("#role")).ToHaveTextAsync("Scoring key (read-only)");
        await page.GotoAsync("/console/#/upload");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Upload and train" })).ToBeDisabledAsync();
        await Expect(page.Locator("#admin-reason")).ToContainTextAsync("need the admin key");

        await page.GotoAsync("/console/#/features");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("403");
    }

    [Fact]
    public async Task A_wrong_key_is_refused_on_the_key_form()
    {
        var context = await host.Browser.NewContextAsync(new() { BaseURL = host.Host.Address.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/");
        await page.GetByLabel("API key").FillAsync("not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("401");
        await Expect(page.Locator("#role")).ToHaveCountAsync(0);
    }

    private static async Task UploadDatasetAsync(IPage page, string model, string csv, string expect = "Completed")
    {
        await page.GotoAsync("/console/#/upload");
        await page.Locator("#data-model").FillAsync(model);
        await page.Locator("#data-file").SetInputFilesAsync(ConsoleSample.WriteTemp("churn.csv", csv));
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and train" }).ClickAsync();
        await Expect(page.Locator("#run-status")).ToContainTextAsync(expect, new() { Timeout = (float)RunTimeout.TotalMilliseconds });
    }

    private async Task<int?> ServedVersionAsync(string model, List<Dictionary<string, object?>> rows)
    {
        var response = await host.Http.PostAsync($"/api/models/{model}/predict", ConsoleSample.Json(new { rows }));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())?["version"]?.GetValue<int>();
    }

    /// <summary>Runs the check through the API until the window holds the logged traffic (logging is asynchronous).</summary>
    private async Task<long> CheckedRowsAsync(string model)
    {
        var result = await (await host.Http.PostAsync($"/api/models/{model}/monitoring/check", null)).Content.ReadFromJsonAsync<JsonObject>();
        return result?["drift"]?["currentRows"]?.GetValue<long>() ?? 0;
    }

    /// <summary>axe-core in the page: serious and critical violations are collected for the test's assertion.</summary>
    private static async Task AxeAsync(IPage page, string name, List<string> found)
    {
        var results = await page.RunAxe();
        found.AddRange(results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Select(n => string.Join(" ", n.Target)))}"));
    }
}
