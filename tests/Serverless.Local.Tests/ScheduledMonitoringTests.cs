using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.App.Intake;
using Serverless.App.Monitoring;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Local.Tests;

/// <summary>
/// The monitoring schedule on its own host and private Azurite (its checks cover every model in storage, so it must
/// not see other tests' models): quality alerts and retraining with no caller, history of reports, model isolation.
/// </summary>
public sealed class ScheduledMonitoringTests
{
    [Fact(Timeout = 300_000)]
    public async Task Quality_below_the_floor_alerts_and_retrains_on_the_schedule_with_no_caller()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var host = new LocalHostFixture { ConnectionString = azurite.ConnectionString, Configure = o => o.MonitoringInterval = TimeSpan.FromMilliseconds(500) };
        await host.InitializeAsync();
        try
        {
            const string model = "quality";
            await host.PutSpecAsync(model, Samples.SpecJson(s => s["monitoring"] = JsonNode(
                """{"driftSchedule": "* * * * * *", "qualityMetric": "accuracy", "qualityFloor": 0.8, "retrainCooldown": "06:00:00"}""")));
            var bytes = Samples.Csv(1500, seed: 61);
            await host.DropAsync(model, "train.csv", bytes);
            var trained = await host.WaitForRunAsync(DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(bytes))));
            Assert.Equal(RunOutcomes.Promoted, trained.Result?.Outcome);

            // Sixty predictions, then a label for each that contradicts it: live accuracy 0, far below the 0.8 floor.
            var predictions = await PredictAsync(host, model, 60);
            await Eventually.TrueAsync(async () => (await LoggedIdsAsync(host, model)).IsSupersetOf(predictions.Select(p => p.Id)), TimeSpan.FromSeconds(20), "the predictions to be logged");
            Assert.Equal(60, (await LabeledAsync(host, model, predictions)).Accepted);

            // Nobody calls the API from here on: the timer's check must alert and start the retraining by itself.
            var state = await Eventually.UntilAsync(
                async () => await BlobJson.TryDownloadAsync<MonitoringState>(host.Storage.Monitoring.GetBlobClient(BlobLayout.MonitoringState(model)), default) is { LastRetrainRunId: not null } s ? s : null,
                TimeSpan.FromSeconds(60),
                "the scheduled check to start a retraining run");

            host.FlushMetrics();
            Assert.True(Sum(host, "serverless.alerts", model, ("kind", "quality")) >= 1);
            var accuracy = Gauges(host, "serverless.live.quality", model, ("metric", "accuracy"), ("window", TimeSpan.FromHours(1).ToString()));
            Assert.Contains(0.0, accuracy);

            var retrain = await host.WaitForRunAsync(state.LastRetrainRunId!);
            Assert.Equal("Completed", retrain.Status);
            var manifest = await BlobJson.DownloadAsync<DatasetManifest>(host.Storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(model, retrain.Result!.DatasetSha256)), default);
            Assert.Equal(60, manifest.Lineage!.FeedbackRows);
            Assert.StartsWith("live accuracy 0.0000 past floor 0.8000", manifest.Lineage.Reason);

            // Every scheduled check leaves its drift report (one a second here): the history pages newest first.
            await Eventually.TrueAsync(
                async () => (await host.Http.GetFromJsonAsync<DriftReportPage>($"/api/models/{model}/monitoring/reports?limit=3", PlatformJson.Options))!.Reports.Count == 3,
                TimeSpan.FromSeconds(30),
                "three scheduled drift reports");
            var first = (await host.Http.GetFromJsonAsync<DriftReportPage>($"/api/models/{model}/monitoring/reports?limit=2", PlatformJson.Options))!;
            Assert.Equal(2, first.Reports.Count);
            Assert.True(first.Reports[0].At > first.Reports[1].At);
            Assert.Equal(first.Reports[1].Id, first.Next);
            Assert.All(first.Reports, r => Assert.Contains(r.Status, new[] { DriftStatus.Drift, DriftStatus.NoDrift, DriftStatus.InsufficientData }));
            var second = (await host.Http.GetFromJsonAsync<DriftReportPage>($"/api/models/{model}/monitoring/reports?limit=2&before={first.Next}", PlatformJson.Options))!;
            Assert.True(second.Reports[0].At < first.Reports[1].At);
            var report = (await host.Http.GetFromJsonAsync<DriftReport>(first.Reports[1].Href, PlatformJson.Options))!;
            Assert.Equal((model, first.Reports[1].Status), (report.Model, report.Status));
            Assert.InRange(report.At - first.Reports[1].At, TimeSpan.Zero, TimeSpan.FromMilliseconds(1)); // ids keep milliseconds
            Assert.Equal(first.Reports[1].Version, report.Version);

            Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/models/{model}/monitoring/reports/20000101T000000000Z")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync($"/api/models/{model}/monitoring/reports/latest")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync($"/api/models/{model}/monitoring/reports?limit=0")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync($"/api/models/{model}/monitoring/reports?before=yesterday")).StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task A_broken_spec_or_a_failing_check_is_reported_for_its_model_and_the_others_are_still_checked()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        // No background loops: the test runs the cycle itself and reads its results.
        var host = new LocalHostFixture { ConnectionString = azurite.ConnectionString, Configure = o => o.BackgroundServices = false };
        await host.InitializeAsync();
        try
        {
            // Written straight to storage, past the API's validation. Names sort the broken ones before the good one.
            await SpecBlobAsync(host, "a-null-drift", Samples.SpecJson(s => s["monitoring"] = JsonNode("""{"drift": null}""")));
            await SpecBlobAsync(host, "b-bad-schedule", Samples.SpecJson(s => s["monitoring"] = JsonNode("""{"driftSchedule": "every hour"}""")));
            await SpecBlobAsync(host, "c-not-json", "{ \"task\": ");
            await SpecBlobAsync(host, "d-null-monitoring", Samples.SpecJson(s => s["monitoring"] = null));
            await SpecBlobAsync(host, "e-bad-reference", Samples.SpecJson());
            await ChampionAsync(host, "e-bad-reference");
            await host.Storage.Registry.GetBlobClient(BlobLayout.RegistryReference("e-bad-reference", 1)).UploadAsync(new BinaryData("not a profile"));
            await SpecBlobAsync(host, "f-good", Samples.SpecJson());
            await ChampionAsync(host, "f-good");

            var cycle = host.Services.GetRequiredService<MonitoringCycle>();
            var results = (await cycle.RunDueAsync(host.Services.GetRequiredService<IRunLauncher>(), default)).ToDictionary(r => r.Model);

            Assert.Equal(["a-null-drift", "b-bad-schedule", "c-not-json", "d-null-monitoring", "e-bad-reference", "f-good"], results.Keys.Order());
            var expected = new Dictionary<string, string>
            {
                // Stored specs are validated on read: the reason is the validator's problem list, by JSON path.
                ["a-null-drift"] = "$.monitoring.drift:",
                ["b-bad-schedule"] = "$.monitoring.driftSchedule:",
                ["c-not-json"] = "The stored spec of 'c-not-json' is invalid",
                ["d-null-monitoring"] = "$.monitoring:",
                ["e-bad-reference"] = "The check failed: JsonException",
            };
            foreach (var (model, detail) in expected)
            {
                Assert.Equal(MonitoringActions.Failed, results[model].Action);
                Assert.Contains(detail, results[model].Detail);
                var state = await StateAsync(host, model);
                Assert.Equal((MonitoringActions.Failed, results[model].Detail), (state.LastStatus, state.LastError));
            }

            // The view of a model whose stored spec is invalid is a 409 listing the problems (as feedback is).
            var view = await host.Http.GetAsync("/api/models/d-null-monitoring/monitoring");
            Assert.Equal(HttpStatusCode.Conflict, view.StatusCode);
            Assert.Contains("$.monitoring", await view.Content.ReadAsStringAsync());

            // The good model after them was checked as usual (it predates reference profiles: no drift check).
            Assert.Equal(MonitoringActions.None, results["f-good"].Action);
            Assert.Contains("No reference profile", results["f-good"].Detail);
            var good = await StateAsync(host, "f-good");
            Assert.Equal(("no-reference", (string?)null), (good.LastStatus, good.LastError));

            host.FlushMetrics();
            Assert.Equal(1, Sum(host, "serverless.monitoring.failures", "e-bad-reference"));
            Assert.Equal(0, Sum(host, "serverless.monitoring.failures", "f-good"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static Task SpecBlobAsync(LocalHostFixture host, string model, string json) =>
        host.Storage.Models.GetBlobClient(BlobLayout.SpecBlob(model)).UploadAsync(new BinaryData(json), overwrite: true);

    /// <summary>A champion alias without training: the cycle reads the alias and the version's reference only.</summary>
    private static Task ChampionAsync(LocalHostFixture host, string model) =>
        BlobJson.UploadAsync(host.Storage.Registry.GetBlobClient(BlobLayout.RegistryAliases(model)),
            new ModelAliases { Aliases = new Dictionary<string, int> { [ModelAliases.Champion] = 1 } }, default);

    private static async Task<MonitoringState> StateAsync(LocalHostFixture host, string model) =>
        await BlobJson.DownloadAsync<MonitoringState>(host.Storage.Monitoring.GetBlobClient(BlobLayout.MonitoringState(model)), default);

    private static async Task<List<Prediction>> PredictAsync(LocalHostFixture host, string model, int rows)
    {
        var body = Samples.PredictRows(Samples.Csv(rows, seed: 95));
        var response = await host.Http.PostAsync($"/api/models/{model}/predict", Json(new { rows = body }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!.Predictions.ToList();
    }

    private static async Task<HashSet<string>> LoggedIdsAsync(LocalHostFixture host, string model)
    {
        var ids = new HashSet<string>();
        await foreach (var blob in host.Storage.Predictions.GetBlobsAsync(new GetBlobsOptions { Prefix = model + "/" }))
        {
            var content = await host.Storage.Predictions.GetBlobClient(blob.Name).DownloadContentAsync();
            var table = await DatasetSnapshot.ReadParquetAsync(content.Value.Content.ToStream(), default);
            ids.UnionWith(table[LoggedColumns.Id].TextValues!);
        }

        return ids;
    }

    /// <summary>Labels every prediction with the class it did not predict.</summary>
    private static async Task<FeedbackResult> LabeledAsync(LocalHostFixture host, string model, List<Prediction> predictions)
    {
        var response = await host.Http.PostAsync($"/api/models/{model}/feedback", Json(predictions.Select(p => new { predictionId = p.Id, label = p.Label != "true" })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<FeedbackResult>(PlatformJson.Options))!;
    }

    private static long Sum(LocalHostFixture host, string name, string model, params (string Key, string Value)[] tags)
    {
        long total = 0;
        foreach (var metric in host.Metrics.Snapshot().Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (Matches(point, model, tags)) total = Math.Max(total, point.GetSumLong());
            }
        }

        return total;
    }

    private static List<double> Gauges(LocalHostFixture host, string name, string model, params (string Key, string Value)[] tags)
    {
        var values = new List<double>();
        foreach (var metric in host.Metrics.Snapshot().Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (Matches(point, model, tags)) values.Add(point.GetGaugeLastValueDouble());
            }
        }

        return values;
    }

    private static bool Matches(in MetricPoint point, string model, (string Key, string Value)[] tags)
    {
        var found = new Dictionary<string, string?>();
        foreach (var tag in point.Tags) found[tag.Key] = tag.Value?.ToString();
        return found.GetValueOrDefault("model") == model && tags.All(t => found.GetValueOrDefault(t.Key) == t.Value);
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
