using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.App.Intake;
using Serverless.App.Monitoring;
using Serverless.Durable.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Tests.Shared;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Local.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class MonitoringEndToEndTests(LocalHostFixture host)
{
    [Fact]
    public async Task Predictions_are_logged_and_feedback_joins_known_ids_and_reports_the_rest()
    {
        var model = await TrainedModelAsync("fb", s => s["monitoring"] = JsonNode("""{"labelingConfidenceThreshold": 0.75, "feedbackWindow": "30.00:00:00"}"""));
        var predictions = await PredictAsync(model, Samples.Csv(60, seed: 99));

        // Logged asynchronously: poll the log until every id is there.
        var logged = await Eventually.UntilAsync(async () =>
        {
            var ids = await LoggedIdsAsync(model);
            return predictions.All(p => ids.Contains(p.Id)) ? ids : null;
        }, TimeSpan.FromSeconds(20), "the predictions to be logged");
        Assert.Equal(predictions.Count, logged.Count);

        var unknown = PredictionIds.New(DateTimeOffset.UtcNow);
        var feedback = new object[]
        {
            new { predictionId = predictions[0].Id, label = true },
            new { predictionId = predictions[1].Id, label = "no" },
            new { predictionId = predictions[2].Id, label = 1 },
            new { predictionId = unknown, label = true },
            new { predictionId = predictions[3].Id, label = true, observedAt = DateTimeOffset.UtcNow.AddDays(31) },
            new { predictionId = predictions[4].Id, label = "maybe" },
            new { predictionId = "not-an-id", label = true },
        };
        var response = await host.Http.PostAsync($"/api/models/{model}/feedback", Json(feedback));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<FeedbackResult>(PlatformJson.Options))!;

        Assert.Equal(7, result.Received);
        Assert.Equal(3, result.Accepted);
        Assert.Equal(
            [(3, FeedbackReasons.UnknownId), (4, FeedbackReasons.InvalidObservedAt), (5, FeedbackReasons.InvalidLabel), (6, FeedbackReasons.InvalidId)],
            result.Rejected.Select(r => (r.Index, r.Reason)));

        // The joined labels are visible to live monitoring: 3 labeled out of everything logged.
        var labels = await host.Services.GetRequiredService<FeedbackService>().LabelsAsync(model, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow, default);
        Assert.Equal(new Dictionary<string, string> { [predictions[0].Id] = "true", [predictions[1].Id] = "false", [predictions[2].Id] = "true" }, labels);
    }

    [Fact]
    public async Task Uncertain_predictions_wait_in_the_labeling_queue_until_labeled()
    {
        var model = await TrainedModelAsync("lq", s => s["monitoring"] = JsonNode("""{"labelingConfidenceThreshold": 0.8}"""));
        var predictions = await PredictAsync(model, Samples.Csv(80, seed: 98));
        var uncertain = predictions.Where(p => Math.Max(p.Score!.Value, 1 - p.Score.Value) < 0.8).Select(p => p.Id).ToHashSet();
        Assert.NotEmpty(uncertain);

        var queued = await Eventually.UntilAsync(async () =>
        {
            var items = await host.Http.GetFromJsonAsync<List<LabelingItem>>($"/api/models/{model}/labeling?take=1000", PlatformJson.Options);
            return items!.Count == uncertain.Count ? items : null;
        }, TimeSpan.FromSeconds(20), "uncertain predictions to be queued");
        Assert.Equal(uncertain, queued.Select(i => i.PredictionId).ToHashSet());
        Assert.All(queued, i => Assert.True(i.Confidence < 0.8));
        Assert.All(queued, i => Assert.Contains(i.Features["contract"]?.ToString(), new[] { "month-to-month", "one-year", "two-year" }));

        var first = queued.Take(2).ToList();
        var labeled = await host.Http.PostAsync($"/api/models/{model}/feedback", Json(first.Select(i => new { predictionId = i.PredictionId, label = false })));
        Assert.Equal(2, (await labeled.Content.ReadFromJsonAsync<FeedbackResult>(PlatformJson.Options))!.Accepted);

        var remaining = await host.Http.GetFromJsonAsync<List<LabelingItem>>($"/api/models/{model}/labeling?take=1000", PlatformJson.Options);
        Assert.Equal(uncertain.Count - 2, remaining!.Count);
        Assert.DoesNotContain(remaining, i => first.Any(f => f.PredictionId == i.PredictionId));
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync($"/api/models/{model}/labeling?take=0")).StatusCode);
    }

    [Fact]
    public async Task Shifted_traffic_is_flagged_feature_by_feature_and_retrains_once_per_cooldown_on_feedback_merged_data()
    {
        var model = await TrainedModelAsync("drift", s =>
        {
            s["gates"]!["comparison"]!["minImprovement"] = -1.0;
            s["monitoring"] = JsonNode("""{"drift": {"window": "01:00:00", "minWindowRows": 100, "datasetDriftShare": 0.2}, "retrainCooldown": "06:00:00"}""");
        });

        // Production shifts: pricier plans, and everyone on two-year contracts. Nothing else changes. (2,000 rows:
        // the normed-Wasserstein threshold of 0.1 is within sampling noise of skewed features at a few hundred.)
        var shifted = Encoding.UTF8.GetString(Samples.Csv(2000, seed: 97)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((line, i) =>
        {
            if (i == 0) return line;
            var cells = line.Split(',');
            cells[2] = (double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture) + 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
            cells[4] = "two-year";
            return string.Join(',', cells);
        }).ToList();
        var predictions = await PredictAsync(model, Encoding.UTF8.GetBytes(string.Join('\n', shifted) + "\n"));
        await Eventually.TrueAsync(async () => (await LoggedIdsAsync(model)).Count == predictions.Count, TimeSpan.FromSeconds(20), "the shifted traffic to be logged");
        var labeled = await host.Http.PostAsync($"/api/models/{model}/feedback", Json(predictions.Take(50).Select((p, i) => new { predictionId = p.Id, label = i % 3 == 0 })));
        Assert.Equal(50, (await labeled.Content.ReadFromJsonAsync<FeedbackResult>(PlatformJson.Options))!.Accepted);

        var check = await host.Http.PostAsync($"/api/models/{model}/monitoring/check", null);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var result = (await check.Content.ReadFromJsonAsync<MonitoringCheckResult>(PlatformJson.Options))!;

        Assert.Equal(DriftStatus.Drift, result.Drift!.Status);
        Assert.Equal(2000, result.Drift.CurrentRows);
        Assert.True(
            result.Drift.Features.Where(f => f.Drifted).Select(f => f.Name).Order().SequenceEqual(["contract", "monthly_charges"]),
            string.Join("\n", result.Drift.Features));
        Assert.Equal(MonitoringActions.RetrainingStarted, result.Action);

        var retrain = await host.WaitForRunAsync(result.RunId!);
        Assert.Equal("Completed", retrain.Status);
        Assert.Equal(2, retrain.Result!.Version);
        var manifest = await BlobJson.DownloadAsync<DatasetManifest>(host.Storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(model, retrain.Result.DatasetSha256)), default);
        Assert.Equal(50, manifest.Lineage!.FeedbackRows);
        Assert.Equal(1500 + 50, manifest.Rows);

        // The new champion sees the same shifted traffic and drifts too, but inside the cooldown: no second run.
        var shiftedBytes = Encoding.UTF8.GetBytes(string.Join('\n', shifted) + "\n");
        var toV2 = (await Eventually.UntilAsync(
            async () => await PredictResponseAsync(model, shiftedBytes) is { Version: 2 } r ? r : null,
            TimeSpan.FromSeconds(10),
            "the promoted version to be served")).Predictions;
        await Eventually.TrueAsync(async () => (await LoggedIdsAsync(model)).IsSupersetOf(toV2.Select(p => p.Id)), TimeSpan.FromSeconds(20), "v2's traffic to be logged");
        var again = (await (await host.Http.PostAsync($"/api/models/{model}/monitoring/check", null)).Content.ReadFromJsonAsync<MonitoringCheckResult>(PlatformJson.Options))!;
        Assert.Equal(2, again.Version);
        Assert.Equal(DriftStatus.Drift, again.Drift!.Status);
        Assert.Equal(MonitoringActions.Debounced, again.Action);
        Assert.Equal(result.RunId, again.RunId);

        var view = (await host.Http.GetFromJsonAsync<MonitoringView>($"/api/models/{model}/monitoring", PlatformJson.Options))!;
        Assert.NotNull(view.LatestDrift);
        Assert.Equal(2, view.Champion);
        Assert.Equal(again.Drift.At, view.LatestDrift!.At);
        var lastHour = view.Live.Single(q => q.Version == 1 && q.Window == TimeSpan.FromHours(1));
        Assert.True(lastHour.Logged >= 2000, $"{lastHour.Logged} logged"); // plus any polls v1 answered before the swap
        Assert.Equal(50, lastHour.Labeled);
        Assert.Equal(50.0 / lastHour.Logged, lastHour.Coverage, 6);
        Assert.Contains("accuracy", lastHour.Metrics.Keys);
    }

    [Fact]
    public async Task Too_little_traffic_is_reported_as_insufficient_data_not_as_no_drift()
    {
        var model = await TrainedModelAsync("few", s => s["monitoring"] = JsonNode("""{"drift": {"minWindowRows": 100}}"""));
        await PredictAsync(model, Samples.Csv(10, seed: 96));

        var result = (await (await host.Http.PostAsync($"/api/models/{model}/monitoring/check", null)).Content.ReadFromJsonAsync<MonitoringCheckResult>(PlatformJson.Options))!;

        Assert.Equal(DriftStatus.InsufficientData, result.Drift!.Status);
        Assert.Null(result.Drift.DatasetDrift);
        Assert.Equal(MonitoringActions.None, result.Action);
    }

    [Fact]
    public async Task Hashed_and_omitted_features_are_not_logged_in_clear_and_drift_checks_the_raw_ones()
    {
        var model = await TrainedModelAsync("private", s =>
        {
            s["monitoring"] = JsonNode("""{"drift": {"minWindowRows": 10}}""");
            foreach (var f in s["features"]!.AsArray())
            {
                var name = (string)f!["name"]!;
                if (name == "monthly_charges") f["log"] = "hash";
                if (name == "contract") f["log"] = "omit";
            }
        });
        await PredictAsync(model, Samples.Csv(50, seed: 98));

        var logged = await Eventually.UntilAsync(async () =>
        {
            await foreach (var blob in host.Storage.Predictions.GetBlobsAsync(new GetBlobsOptions { Prefix = model + "/" }))
            {
                var content = await host.Storage.Predictions.GetBlobClient(blob.Name).DownloadContentAsync();
                return await DatasetSnapshot.ReadParquetAsync(content.Value.Content.ToStream(), default);
            }

            return null;
        }, TimeSpan.FromSeconds(30), "the prediction log");
        Assert.DoesNotContain(logged.Columns, c => c.Name == "contract");
        Assert.All(logged["monthly_charges"].TextValues.ToArray(), v => Assert.Matches("^[0-9a-f]{64}$", v!));

        var result = (await (await host.Http.PostAsync($"/api/models/{model}/monitoring/check", null)).Content.ReadFromJsonAsync<MonitoringCheckResult>(PlatformJson.Options))!;
        var checkedFeatures = result.Drift!.Features.Select(f => f.Name).ToList();
        Assert.DoesNotContain("contract", checkedFeatures);
        Assert.DoesNotContain("monthly_charges", checkedFeatures);
        Assert.NotEmpty(checkedFeatures);
    }

    private async Task<string> TrainedModelAsync(string prefix, Action<System.Text.Json.Nodes.JsonObject> tweak)
    {
        var model = Azurite.UniqueModel(prefix);
        await host.PutSpecAsync(model, Samples.SpecJson(tweak));
        var bytes = Samples.Csv(1500, seed: 61);
        await host.DropAsync(model, "train.csv", bytes);
        var run = await host.WaitForRunAsync(DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(bytes))));
        Assert.Equal(RunOutcomes.Promoted, run.Result?.Outcome);
        return model;
    }

    private async Task<List<Prediction>> PredictAsync(string model, byte[] csv) => (await PredictResponseAsync(model, csv)).Predictions.ToList();

    private async Task<PredictResponse> PredictResponseAsync(string model, byte[] csv)
    {
        var rows = Samples.PredictRows(csv);
        var response = await host.Http.PostAsync($"/api/models/{model}/predict", Json(new { rows }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!;
    }

    private async Task<HashSet<string>> LoggedIdsAsync(string model)
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

    private static System.Text.Json.Nodes.JsonNode JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
