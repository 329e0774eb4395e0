using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Serverless.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Console.Tests;

/// <summary>The run page's Logs panel in headless Chromium: the run's lines, tailed while it runs, filtered by level.</summary>
[Collection(ConsoleHostCollection.Name)]
public sealed class ConsoleRunLogsTests(ConsoleHost host)
{
    [Fact]
    public async Task The_run_page_tails_the_runs_log_with_ingest_train_and_gate_lines_and_filters_by_level()
    {
        var model = Azurite.UniqueModel("runlogs");
        Assert.True((await host.Http.PutAsync($"/api/models/{model}", new StringContent(ConsoleSample.SpecJson(), Encoding.UTF8, "application/json"))).IsSuccessStatusCode);
        // One row with an unknown contract: dropped, so the log has a warning to filter for.
        var csv = ConsoleSample.WithContract(ConsoleSample.Csv(1500, seed: 71), rows: 1, "weekly");
        var started = await host.Http.PostAsync($"/api/models/{model}/runs?fileName=churn.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var runId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<string>();

        // Opened while the run is pending or running: the panel fills as the steps write.
        var page = await host.OpenAsync(ConsoleHost.AdminKey);
        var scriptErrors = new List<string>();
        page.PageError += (_, e) => scriptErrors.Add(e);
        await page.GotoAsync($"/console/#/models/{model}/runs/{runId}");
        var log = page.GetByRole(AriaRole.Log, new() { Name = "Run log lines" });
        // A busy machine may keep the run pending for minutes behind other tests' runs: the page keeps tailing.
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Completed", new() { Timeout = 300_000 });
        await Expect(log).ToContainTextAsync("Read churn.csv: 1500 rows, 1499 kept, 1 dropped");
        await Expect(log).ToContainTextAsync("Training set: 1499 rows");
        await Expect(log).ToContainTextAsync("Gate passed");
        await Expect(log).ToContainTextAsync("to champion");
        var all = await page.Locator("#run-log .log-line").CountAsync();
        Assert.True(all >= 10, $"{all} lines");
        await ConsoleHost.ScreenshotAsync(page, "run-logs");

        // Keyboard only: the level filter by its label, then the log itself takes focus (it scrolls).
        await page.GetByLabel("Level").FocusAsync();
        await page.GetByLabel("Level").SelectOptionAsync("warning");
        var warnings = page.Locator("#run-log .log-line");
        await Expect(warnings.First).ToContainTextAsync("unknown-category");
        await Expect(log).ToContainTextAsync("column contract");
        var shown = await warnings.CountAsync();
        Assert.InRange(shown, 1, all - 1);
        Assert.Equal(shown, await page.Locator("#run-log .log-warning").CountAsync());
        await Expect(page.Locator("#run-log-count")).ToHaveTextAsync($"{shown} of {all} lines");
        await page.Keyboard.PressAsync("Tab");
        await Expect(log).ToBeFocusedAsync();

        var axe = (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ToList();
        Assert.True(axe.Count == 0, string.Join("\n", axe));
        Assert.True(scriptErrors.Count == 0, string.Join("\n", scriptErrors));
    }
}
