using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.BatchScoring;
using Serverless.Local.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>The purge on the real Azure Storage backend of the local host.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class HistoryPurgeTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_finished_instance_in_the_window_is_purged_and_its_history_is_gone()
    {
        var model = Azurite.UniqueModel("purge");
        var scoring = host.Storage.Blobs.GetBlobContainerClient(BatchLayout.Container);
        await scoring.GetBlobClient($"{model}/f.csv").UploadAsync(BinaryData.FromString("x\n1\n"));
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);

        // No champion: the batch is refused and completes at once.
        var start = await host.Scoring.PostAsJsonAsync($"/api/models/{model}/batch", new { input = $"{model}/f.csv" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (string)(await start.Content.ReadFromJsonAsync<JsonObject>())!["batchId"]!;
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await client.WaitForInstanceCompletionAsync(id, timeout.Token)).RuntimeStatus);

        var purged = await host.Services.GetRequiredService<DurableSidecar>().PurgeAsync(
            new PurgeInstancesFilter(from, DateTimeOffset.UtcNow.AddSeconds(1), [OrchestrationRuntimeStatus.Completed]));

        Assert.True(purged >= 1, $"purged {purged}");
        Assert.Null(await client.GetInstanceAsync(id));
    }
}
