using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.Durable.Intake;
using Serverless.Durable.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Tests.Shared;

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
            [(3, FeedbackReasons.UnknownId), (4, FeedbackReasons.Late), (5, FeedbackReasons.InvalidLabel), (6, FeedbackReasons.InvalidId)],
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

    private async Task<List<Prediction>> PredictAsync(string model, byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l =>
        {
            var cells = l.Split(',');
            var row = new Dictionary<string, object?>();
            for (var i = 1; i < header.Length - 1; i++)
            {
                row[header[i]] = header[i] switch
                {
                    "contract" or "payment_method" or "internet_service" or "region" => cells[i],
                    "autopay" => cells[i] == "yes",
                    "senior" => cells[i] == "1",
                    _ => cells[i].Length == 0 ? null : double.Parse(cells[i], System.Globalization.CultureInfo.InvariantCulture),
                };
            }

            return row;
        }).ToList();
        var response = await host.Http.PostAsync($"/api/models/{model}/predict", Json(new { rows }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PredictResponse>(PlatformJson.Options))!.Predictions.ToList();
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
