using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Intake;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;
using Serverless.Core.Specs.Routing;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// A model on feature views placed on the trainer job (<c>compute: auto</c> over a one-byte activity budget): the join
/// runs before dispatch and the job trains on the joined training set, through the local host's in-process worker.
/// </summary>
public sealed class FeatureStoreJobTrainingTests(TinyBudgetHost fixture) : IClassFixture<TinyBudgetHost>
{
    [Fact]
    public async Task A_model_on_feature_views_trains_on_the_job_with_the_views_joined_before_dispatch()
    {
        var host = fixture.Host;
        var random = new Random(5);
        const int customers = 300;
        var ids = Enumerable.Range(0, customers).Select(i => $"job-{i}").ToArray();
        var tenure = ids.Select(_ => (float)random.Next(1, 48)).ToArray();
        await WriteSnapshotAsync(host, "customer-profile", new TabularDataset(
        [
            DataColumn.Text("customer_id", ids),
            DataColumn.Text("updated_at", [.. ids.Select(_ => "2026-01-01T00:00:00Z")]),
            DataColumn.Float("tenure_months", tenure),
            DataColumn.Text("plan", [.. ids.Select(_ => "basic")]),
            DataColumn.Float("auto_pay", [.. ids.Select(_ => (float)random.Next(2))]),
        ]));
        await WriteSnapshotAsync(host, "customer-usage", new TabularDataset(
        [
            DataColumn.Text("customer_id", ids),
            DataColumn.Text("window_end", [.. ids.Select(_ => "2026-01-10T00:00:00Z")]),
            DataColumn.Float("calls_7d", [.. ids.Select(_ => (float)random.Next(0, 10))]),
            DataColumn.Float("data_gb_30d", [.. ids.Select(_ => (float)random.NextDouble() * 20)]),
        ]));

        var model = Azurite.UniqueModel("fs-job");
        await host.PutSpecAsync(model, """
            {
              "task": "binary", "label": "churned",
              "features": [
                { "name": "tenure_months", "type": "numeric", "nullable": true },
                { "name": "calls_7d", "type": "numeric", "nullable": true }
              ],
              "featureViews": [
                { "view": "customer_profile", "features": ["tenure_months"] },
                { "view": "customer_usage", "features": ["calls_7d"] }
              ],
              "trainer": { "type": "lightgbm", "compute": "auto" },
              "minimumRows": { "total": 100, "perClass": 10, "holdout": 20, "holdoutPerClass": 2 }
            }
            """);
        var csv = new StringBuilder("customer_id,event_timestamp,churned\n");
        for (var i = 0; i < customers; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{ids[i]},2026-01-11T00:00:00Z,{(tenure[i] < 12 ? "true" : "false")}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        await host.DropAsync(model, "labels.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, Convert.ToHexStringLower(SHA256.HashData(bytes))));

        Assert.True(run.Status == "Completed", $"{run.Status}: {run.Error} {run.Progress?.Error}");
        Assert.Equal(TrainingPlacement.Job, run.Result!.Ingest.Placement!.Where);
        Assert.StartsWith("job: ", run.Progress!.Steps.Single(s => s.Step == PipelineSteps.Train).Detail, StringComparison.Ordinal);

        // The job saw the joined columns: the card's inputs are the views' features, and scores follow tenure.
        var card = (await host.Services.GetRequiredService<ModelRegistry>().ListVersionsAsync(model, CancellationToken.None)).Single().Card;
        Assert.Equal(["tenure_months", "calls_7d"], card.Inputs.Select(i => i.Name));
        Assert.Equal(["customer_profile", "customer_usage"], card.FeatureViews!.Select(v => v.View));
        var response = await host.Http.PostAsJsonAsync($"/api/models/{model}/versions/1/predict", new { rows = new object[] { new { tenure_months = 3, calls_7d = 2 }, new { tenure_months = 40, calls_7d = 2 } } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var scores = (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!.Predictions.Select(p => p.Score).ToList();
        Assert.True(scores[0] > scores[1] + 0.3, $"short tenure should score far higher: {scores[0]} vs {scores[1]}");
    }

    private static async Task WriteSnapshotAsync(LocalHostFixture host, string dataset, TabularDataset rows)
    {
        var sha = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await DatasetVersions.WriteAsync(host.Storage, new(dataset, sha, rows.RowCount, [], "source.csv", DateTimeOffset.UtcNow, 0, "x"), await DatasetVersions.ToParquetAsync(rows, CancellationToken.None), CancellationToken.None);
    }
}
