using System.Net.Http.Json;
using System.Text;
using Serverless.App.Models;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Storage;
using Serverless.App.Http;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>The durable backend earns its keep: a host killed mid-training finishes the run after a restart.</summary>
public sealed class CrashRecoveryTests
{
    [Fact(Timeout = 300_000)] // a hang here must fail the run, not stall CI
    public async Task A_host_killed_during_train_finishes_the_run_after_restart_with_exactly_one_version()
    {
        // Its own Azurite: a host running here must not pick up other tests' drops (they share the default account).
        await using var azurite = new PrivateAzurite();
        await azurite.StartAsync();
        var taskHub = "crash" + Guid.NewGuid().ToString("N")[..10];
        var model = Azurite.UniqueModel("crash");
        var bytes = Samples.Csv(20_000, seed: 151);
        var runId = DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(bytes)));

        await using (var first = new LocalHostProcess(taskHub, "crash-key", azurite.ConnectionString))
        {
            await first.StartAsync();
            var spec = Samples.SpecJson(s => s["trainer"]!["hyperparameters"]!["numberOfTrees"] = 1500);
            (await first.Http.PutAsync($"/api/models/{model}", new StringContent(spec, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            await new PlatformStorage(new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString)).Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, "big.csv")).UploadAsync(new BinaryData(bytes));

            await Eventually.TrueAsync(async () => await RunAsync(first.Http, runId) is { Progress.Step: PipelineSteps.Train, Status: "Running" },
                TimeSpan.FromSeconds(60), "the run to be training");
            await first.KillAsync();
        }

        await using var second = new LocalHostProcess(taskHub, "crash-key", azurite.ConnectionString);
        await second.StartAsync();
        var done = await Eventually.UntilAsync(
            async () => await RunAsync(second.Http, runId) is { Status: "Completed" or "Failed" } r ? r : null,
            TimeSpan.FromMinutes(3),
            "the run to finish after the restart",
            TimeSpan.FromMilliseconds(250));

        Assert.True(done.Status == "Completed", done.Error ?? done.Progress?.Error);
        Assert.Equal(1, done.Result!.Version);
        var details = await second.Http.GetFromJsonAsync<ModelDetails>($"/api/models/{model}", PlatformJson.Options);
        Assert.Single(details!.Versions);
    }

    private static async Task<RunView?> RunAsync(HttpClient http, string runId)
    {
        var response = await http.GetAsync($"/api/runs/{runId}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RunView>(PlatformJson.Options) : null;
    }
}
