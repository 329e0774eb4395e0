using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Serverless.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace Serverless.Console.Tests;

/// <summary>
/// The quality page's live metric over time, against the API: a trained model, predictions and labels sent through
/// the API, and the page's point for the labeled bucket showing the value <c>GET …/monitoring/quality</c> gives.
/// </summary>
[Collection(ConsoleHostCollection.Name)]
public sealed class ConsoleQualityTests(ConsoleHost host)
{
    /// <summary>The page prints metrics with 4 decimals.</summary>
    private const double Printed = 5e-5;

    [Fact]
    public async Task The_quality_page_shows_the_live_metric_per_bucket_that_the_api_computes_with_its_holdout_reference()
    {
        var model = Azurite.UniqueModel("quality");
        Assert.True((await host.Http.PutAsync($"/api/models/{model}", new StringContent(ConsoleSample.SpecJson(), Encoding.UTF8, "application/json"))).IsSuccessStatusCode);
        await TrainAsync(model, ConsoleSample.Csv(1500, seed: 71));

        var rows = ConsoleSample.Rows(ConsoleSample.Csv(300, seed: 72));
        var predicted = await (await host.Http.PostAsync($"/api/models/{model}/predict", ConsoleSample.Json(new { rows }))).Content.ReadFromJsonAsync<JsonObject>();
        var ids = predicted!["predictions"]!.AsArray().Select(p => (string)p!["id"]!).ToList();
        // Feedback is checked against the log, which is written asynchronously: wait until every prediction is there.
        await Eventually.TrueAsync(async () => Version1(await SeriesAsync(model))?["logged"]?.GetValue<long>() == ids.Count, TimeSpan.FromSeconds(30), "the predictions to be logged");
        var labels = ids.Take(200).Select((id, i) => new { predictionId = id, label = i % 3 == 0 }).ToList();
        var feedback = await (await host.Http.PostAsync($"/api/models/{model}/feedback", ConsoleSample.Json(labels))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(200, feedback!["accepted"]!.GetValue<int>());

        var v1 = Version1(await SeriesAsync(model))!;
        var bucket = v1["buckets"]!.AsArray().Single(b => b!["labeled"]!.GetValue<long>() > 0)!;
        Assert.Equal(200, bucket["labeled"]!.GetValue<long>());
        var auc = bucket["metrics"]!["auc"]!.GetValue<double>();
        var accuracy = bucket["metrics"]!["accuracy"]!.GetValue<double>();
        var holdout = v1["reference"]!["auc"]!.GetValue<double>();

        var page = await host.OpenAsync(ConsoleHost.AdminKey);
        var scriptErrors = new List<string>();
        page.PageError += (_, e) => scriptErrors.Add(e);
        await page.GotoAsync($"/console/#/models/{model}/quality");
        var row = page.Locator("#quality-series tbody tr", new() { HasText = "v1" });
        await Expect(row).ToHaveCountAsync(1);
        var cells = row.Locator("td");
        await Expect(cells.Nth(1)).ToHaveTextAsync("300");
        await Expect(cells.Nth(2)).ToHaveTextAsync("200");
        Assert.Equal(auc, Number(await cells.Nth(4).TextContentAsync()), Printed);
        Assert.Equal(holdout, Number(await cells.Nth(5).TextContentAsync()), Printed);
        await Expect(page.Locator("figure.chart", new() { HasText = "Live auc per version, with its holdout value" }).Locator("canvas")).ToBeVisibleAsync();
        await Expect(page.Locator("figure.chart", new() { HasText = "Logged and labeled predictions per bucket" })).ToBeVisibleAsync();

        // Another metric: the table and the chart follow the selector.
        await page.GetByLabel("Metric", new() { Exact = true }).SelectOptionAsync("accuracy");
        await Expect(page.Locator("#quality-series thead")).ToContainTextAsync("Live accuracy");
        Assert.Equal(accuracy, Number(await page.Locator("#quality-series tbody tr", new() { HasText = "v1" }).Locator("td").Nth(4).TextContentAsync()), Printed);

        // Another bucket size re-reads the series: the same labeled rows, in a day bucket.
        await page.GetByLabel("Bucket size", new() { Exact = true }).SelectOptionAsync("1d");
        await Expect(page.Locator("#quality-over-time")).ToContainTextAsync("1.00:00:00 buckets");
        await Expect(page.Locator("#quality-series tbody tr", new() { HasText = "v1" }).Locator("td").Nth(2)).ToHaveTextAsync("200");

        // Minute buckets over the default week are too many: the API's 400 is shown; over the last hour they fit.
        await page.GetByLabel("Bucket size", new() { Exact = true }).SelectOptionAsync("1m");
        await Expect(page.Locator("#quality-over-time [role=alert]")).ToContainTextAsync("'bucket' 00:01:00");
        await page.GetByLabel("Range", new() { Exact = true }).SelectOptionAsync("1");
        await Expect(page.Locator("#quality-over-time")).ToContainTextAsync("00:01:00 buckets");
        await Expect(page.Locator("#quality-series tbody tr", new() { HasText = "v1" }).Locator("td").Nth(2)).ToHaveTextAsync("200");
        await ConsoleHost.ScreenshotAsync(page, "quality");

        var axe = (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ToList();
        Assert.True(axe.Count == 0, string.Join("\n", axe));
        Assert.True(scriptErrors.Count == 0, string.Join("\n", scriptErrors));
    }

    private async Task TrainAsync(string model, string csv)
    {
        var started = await host.Http.PostAsync($"/api/models/{model}/runs?fileName=churn.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var runId = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!;
        var status = await Eventually.UntilAsync(async () =>
        {
            var response = await host.Http.GetAsync($"/api/runs/{runId}");
            var s = response.IsSuccessStatusCode ? (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["status"] : null;
            return s is "Completed" or "Failed" or "Terminated" ? s : null;
        }, TimeSpan.FromMinutes(3), "the training run to finish");
        Assert.Equal("Completed", status);
    }

    private async Task<JsonObject> SeriesAsync(string model) =>
        (await host.Http.GetFromJsonAsync<JsonObject>($"/api/models/{model}/monitoring/quality"))!;

    private static JsonNode? Version1(JsonObject series) => series["versions"]!.AsArray().SingleOrDefault(v => v!["version"]!.GetValue<int>() == 1);

    private static double Number(string? text) => double.Parse(text!, CultureInfo.InvariantCulture);
}
