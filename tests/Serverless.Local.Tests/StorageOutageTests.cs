using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>Storage goes away under a serving host, then comes back: scoring never fails, and logging resumes.</summary>
public sealed class StorageOutageTests
{
    private static readonly object Row = new
    {
        tenure_months = 12, monthly_charges = 70.0, total_charges = 840.0, contract = "month-to-month", payment_method = "electronic-check",
        internet_service = "fiber", support_calls = 2, autopay = false, senior = false, region = "east",
    };

    [Fact(Timeout = 300_000)] // a hang here must fail the run, not stall CI
    public async Task Scoring_survives_storage_down_with_drops_counted_and_logging_resumes_after()
    {
        await using var azurite = new PrivateAzurite();
        await azurite.StartAsync();
        var host = new LocalHostFixture { ConnectionString = azurite.ConnectionString };
        await host.InitializeAsync();
        try
        {
            const string model = "outage";
            await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
            foreach (var seed in new[] { 71, 72 })
            {
                var bytes = Samples.Csv(1000, seed);
                await host.DropAsync(model, $"d{seed}.csv", bytes);
                var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(bytes))));
                Assert.Equal(RunOutcomes.Promoted, run.Result?.Outcome);
            }

            await Eventually.TrueAsync(async () => await VersionAsync(host, model) == 2, TimeSpan.FromSeconds(10), "v2 to be served");

            var log = host.Services.GetRequiredService<PredictionLog>();
            await azurite.StopAsync();

            // Storage is gone: every request still succeeds from the cached champion, and the log counts what it loses.
            var during = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                during.Add(await PredictAsync(host, model));
            }

            await Eventually.TrueAsync(() => Task.FromResult(log.Dropped >= 20), TimeSpan.FromSeconds(60), "the lost rows to be counted as dropped");

            await azurite.StartAsync();
            var after = await PredictAsync(host, model);
            await Eventually.TrueAsync(async () => (await LoggedIdsAsync(host, model)).Contains(after), TimeSpan.FromSeconds(60), "logging to resume");
            Assert.DoesNotContain(during, (await LoggedIdsAsync(host, model)).Contains);

            // A promotion written to storage by someone else (another host, a script) is picked up again.
            await new ModelRegistry(host.Storage, TimeProvider.System).SetAliasAsync(model, ModelAliases.Champion, 1, "rollback from outside", default);
            await Eventually.TrueAsync(async () => await VersionAsync(host, model) == 1, TimeSpan.FromSeconds(10), "the rollback to be served");
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<int> VersionAsync(LocalHostFixture host, string model)
    {
        var response = await host.Http.PostAsync($"/api/models/{model}/predict", new StringContent(JsonSerializer.Serialize(new { rows = new[] { Row } }), Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!.Version;
    }

    private static async Task<string> PredictAsync(LocalHostFixture host, string model)
    {
        var response = await host.Http.PostAsync($"/api/models/{model}/predict", new StringContent(JsonSerializer.Serialize(new { rows = new[] { Row } }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!.Predictions.Single().Id;
    }

    private static async Task<HashSet<string>> LoggedIdsAsync(LocalHostFixture host, string model)
    {
        var ids = new HashSet<string>();
        await foreach (var blob in host.Storage.Predictions.GetBlobsAsync(new GetBlobsOptions { Prefix = model + "/" }))
        {
            var content = await host.Storage.Predictions.GetBlobClient(blob.Name).DownloadContentAsync();
            ids.UnionWith((await DatasetSnapshot.ReadParquetAsync(content.Value.Content.ToStream(), default))[LoggedColumns.Id].TextValues!);
        }

        return ids;
    }
}
