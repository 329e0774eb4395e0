using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.BatchScoring;
using Serverless.Core.Registry;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>Batch scoring through the real host: the watcher on scoring/{model}/incoming/, the API, the task hub.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class BatchScoringEndToEndTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_dropped_file_and_a_posted_batch_are_scored_by_the_durable_orchestration()
    {
        var model = Azurite.UniqueModel("bat");
        await TinyModel.RegisterAsync(host.Storage, model);
        var scoring = host.Storage.Blobs.GetBlobContainerClient(BatchLayout.Container);
        var csv = new StringBuilder("x,color\n");
        for (var i = 0; i < 50; i++) csv.Append(0.02 * i).Append(',').Append(TinyModel.Colors[i % 3]).Append('\n');
        csv.Append("oops,red\n");

        // Dropped: scored with the champion, then moved out of incoming/.
        await scoring.GetBlobClient($"{model}/incoming/drop.csv").UploadAsync(BinaryData.FromString(csv.ToString()));
        var dropSummary = await Eventually.UntilAsync(
            () => Serverless.Core.Storage.BlobJson.TryDownloadAsync<BatchSummary>(scoring.GetBlobClient(BatchLayout.Summary(model, "drop.csv")), default),
            TimeSpan.FromSeconds(90),
            "the dropped file's batch summary");
        Assert.Equal((BatchSummary.Succeeded, 1, 51L, 50L, 1L), (dropSummary.Status, dropSummary.Version, dropSummary.RowsIn, dropSummary.RowsOut, dropSummary.RowsWithErrors));
        Assert.False(await scoring.GetBlobClient($"{model}/incoming/drop.csv").ExistsAsync());

        // Posted with a named version, followed on the status route.
        await scoring.GetBlobClient($"{model}/files/posted.csv").UploadAsync(BinaryData.FromString(csv.ToString()));
        var start = await host.Scoring.PostAsJsonAsync($"/api/models/{model}/batch", new { input = $"{model}/files/posted.csv", version = 2 });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var statusUrl = (string)(await start.Content.ReadFromJsonAsync<JsonObject>())!["statusUrl"]!;
        var done = await Eventually.UntilAsync(
            async () => await host.Scoring.GetFromJsonAsync<JsonObject>(statusUrl) is { } s && (string?)s["status"] == "Completed" ? s : null,
            TimeSpan.FromSeconds(90),
            "the posted batch to complete");
        Assert.Equal(2, (int)done["summary"]!["version"]!);
        Assert.Equal(50, (long)done["summary"]!["rowsOut"]!);
        Assert.True(await scoring.GetBlobClient(BatchLayout.Results(model, "files/posted.csv")).ExistsAsync());
        Assert.True(await scoring.GetBlobClient($"{model}/files/posted.csv").ExistsAsync());

        // A path outside the model's folder is refused with the field named.
        var bad = await host.Scoring.PostAsJsonAsync($"/api/models/{model}/batch", new { input = "other/x.csv" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'input'", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_a_live_alias_points_at_cannot_be_deleted_and_an_archived_model_refuses_changes()
    {
        var model = Azurite.UniqueModel("life");
        await TinyModel.RegisterAsync(host.Storage, model);
        var registry = host.Services.GetRequiredService<ModelRegistry>();

        var champion = await host.Http.DeleteAsync($"/api/models/{model}/versions/1");
        Assert.Equal(HttpStatusCode.Conflict, champion.StatusCode);
        Assert.Contains("champion", await champion.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Scoring.DeleteAsync($"/api/models/{model}/versions/2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.DeleteAsync($"/api/models/{model}/versions/2")).StatusCode);
        Assert.Equal([1], (await registry.ListVersionsAsync(model, default)).Select(v => v.Version));

        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync($"/api/models/{model}/archive?reason=retired", null)).StatusCode);
        var put = await host.Http.PutAsync($"/api/models/{model}", new StringContent(System.Text.Json.JsonSerializer.Serialize(TinyModel.Spec, Serverless.Core.PlatformJson.Options), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Contains("archived", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Http.PostAsync($"/api/models/{model}/versions/1/promote", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Scoring.PostAsJsonAsync($"/api/models/{model}/predict", new { rows = new[] { new { x = 0.5, color = "red" } } })).StatusCode);
    }
}
