using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Intake;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.FeatureStore;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// Issue #15 end to end on the local host: a model spec names two feature views, a drop of label rows (keys, event
/// times, labels) trains through the point-in-time join, the card records the views' versions, and a predict request
/// that sends only the entity key scores exactly as one that sends the features.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class FeatureStoreEndToEndTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_model_trained_on_feature_views_scores_by_entity_key()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var random = new Random(3);
        const int customers = 400;
        var ids = Enumerable.Range(0, customers).Select(i => $"{tag}-{i}").ToArray();
        var tenure = ids.Select(_ => (float)random.Next(1, 48)).ToArray();
        string[] plans = ["basic", "plus", "pro"];
        await WriteSnapshotAsync("customer-profile", new TabularDataset(
        [
            DataColumn.Text("customer_id", ids),
            DataColumn.Text("updated_at", [.. ids.Select(_ => "2026-01-01T00:00:00Z")]),
            DataColumn.Float("tenure_months", tenure),
            DataColumn.Text("plan", [.. ids.Select(_ => plans[random.Next(3)])]),
            DataColumn.Float("auto_pay", [.. ids.Select(_ => (float)random.Next(2))]),
        ]));
        await WriteSnapshotAsync("customer-usage", new TabularDataset(
        [
            DataColumn.Text("customer_id", ids),
            DataColumn.Text("window_end", [.. ids.Select(_ => "2026-01-10T00:00:00Z")]),
            DataColumn.Float("calls_7d", [.. ids.Select(_ => (float)random.Next(0, 10))]),
            DataColumn.Float("data_gb_30d", [.. ids.Select(_ => (float)random.NextDouble() * 20)]),
        ]));

        var model = Azurite.UniqueModel("fs-e2e");
        await host.PutSpecAsync(model, """
            {
              "task": "binary", "label": "churned",
              "features": [
                { "name": "monthly_fee", "type": "numeric" },
                { "name": "tenure_months", "type": "numeric", "nullable": true },
                { "name": "plan", "type": "categorical", "nullable": true, "unknownCategory": "allow" },
                { "name": "calls_7d", "type": "numeric", "nullable": true }
              ],
              "featureViews": [
                { "view": "customer_profile", "features": ["tenure_months", "plan"] },
                { "view": "customer_usage", "features": ["calls_7d"] }
              ],
              "trainer": { "type": "lightgbm", "compute": "cpu" },
              "minimumRows": { "total": 100, "perClass": 10, "holdout": 20, "holdoutPerClass": 2 }
            }
            """);
        var csv = new StringBuilder("customer_id,event_timestamp,monthly_fee,churned\n");
        for (var i = 0; i < customers; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{ids[i]},2026-01-11T00:00:00Z,{random.Next(20, 80)},{(tenure[i] < 12 ? "true" : "false")}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        await host.DropAsync(model, "labels.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        Assert.True(run.Result?.Outcome == RunOutcomes.Promoted, $"{run.Status}: {run.Result?.Outcome} {run.Result?.Ingest.Reason} {run.Error}");

        // The card names the views and the versions the model was trained on.
        var catalog = host.Services.GetRequiredService<FeatureViewCatalog>();
        var card = (await host.Services.GetRequiredService<ModelRegistry>().ListVersionsAsync(model, CancellationToken.None)).Single().Card;
        Assert.Equal(
            ["customer_profile " + catalog.Find("customer_profile")!.Version, "customer_usage " + catalog.Find("customer_usage")!.Version],
            card.FeatureViews!.Select(v => $"{v.View} {v.Version}"));

        // Online values for one customer, pushed as a streaming source would.
        var now = DateTimeOffset.UtcNow;
        var customer = ids[0];
        await Push("customer_profile", new Dictionary<string, object?> { ["customer_id"] = customer, ["updated_at"] = now.AddDays(-1).ToString("O"), ["tenure_months"] = 5, ["plan"] = "pro", ["auto_pay"] = true });
        await Push("customer_usage", new Dictionary<string, object?> { ["customer_id"] = customer, ["window_end"] = now.AddHours(-1).ToString("O"), ["calls_7d"] = 7, ["data_gb_30d"] = 1 });

        var byKey = await Predict(model, new { rows = new object[] { new { customer_id = customer, monthly_fee = 50 }, new { customer_id = "never-seen", monthly_fee = 50 } } });
        var explicitly = await Predict(model, new { rows = new object?[] { new { monthly_fee = 50, tenure_months = 5, plan = "pro", calls_7d = 7 }, new { monthly_fee = 50, tenure_months = (float?)null, plan = (string?)null, calls_7d = (float?)null } } });
        Assert.Equal(explicitly.Predictions.Select(p => p.Score), byKey.Predictions.Select(p => p.Score));
        Assert.True(byKey.Predictions[0].Score > 0.5, $"tenure 5 should churn: {byKey.Predictions[0].Score}");

        var noKey = await host.Http.PostAsJsonAsync($"/api/models/{model}/predict", new { rows = new[] { new { monthly_fee = 50 } } });
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Contains((await noKey.Content.ReadFromJsonAsync<ProblemBody>(PlatformJson.Options))!.Errors!, e => e.Field == "customer_id");
    }

    private async Task WriteSnapshotAsync(string dataset, TabularDataset rows)
    {
        var sha = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await DatasetVersions.WriteAsync(host.Storage, new(dataset, sha, rows.RowCount, [], "source.csv", DateTimeOffset.UtcNow, 0, "x"), await DatasetVersions.ToParquetAsync(rows, CancellationToken.None), CancellationToken.None);
    }

    private async Task Push(string view, Dictionary<string, object?> row)
    {
        var response = await host.Http.PostAsJsonAsync($"/api/features/{view}/push", new { rows = new[] { row } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<PredictResponse> Predict(string model, object body)
    {
        var response = await host.Http.PostAsJsonAsync($"/api/models/{model}/predict", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!;
    }
}
