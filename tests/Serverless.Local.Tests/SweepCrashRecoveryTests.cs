using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Serverless.App.Intake;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Runs;
using Serverless.Core.Storage;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>A host killed in the middle of a sweep finishes it after a restart without fitting a completed trial again.</summary>
public sealed class SweepCrashRecoveryTests
{
    [Fact(Timeout = 420_000)] // a hang here must fail the run, not stall CI
    public async Task Completed_trials_are_not_run_again_after_a_crash()
    {
        await using var azurite = new PrivateAzurite();
        await azurite.StartAsync();
        var taskHub = "sweepcrash" + Guid.NewGuid().ToString("N")[..10];
        var model = Azurite.UniqueModel("sweepcrash");
        var bytes = Samples.Csv(12_000, seed: 152);
        var runId = DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(bytes)));
        var storage = new PlatformStorage(new BlobServiceClient(azurite.ConnectionString));
        var search = JsonNode.Parse(SweepEndToEndTests.Search)!.AsObject();
        search["trials"] = 8;
        search["concurrency"] = 2;
        var prefix = $"{model}/{runId}/sweep/";

        Dictionary<string, ETag> beforeCrash;
        await using (var first = new LocalHostProcess(taskHub, "sweep-crash-key", azurite.ConnectionString))
        {
            await first.StartAsync();
            var spec = Samples.SpecJson(s =>
            {
                s["trainer"]!["hyperparameters"]!["numberOfTrees"] = 300;
                s["search"] = search;
            });
            (await first.Http.PutAsync($"/api/models/{model}", new StringContent(spec, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            await storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, "sweep.csv")).UploadAsync(new BinaryData(bytes));

            await Eventually.TrueAsync(async () => (await Markers(storage, prefix)).Count >= 2, TimeSpan.FromMinutes(3), "two trials to be stored");
            await first.KillAsync();
            beforeCrash = await Markers(storage, prefix);
        }

        Assert.InRange(beforeCrash.Count, 2, 7);

        await using var second = new LocalHostProcess(taskHub, "sweep-crash-key", azurite.ConnectionString);
        await second.StartAsync();
        var done = await Eventually.UntilAsync(
            async () => await RunAsync(second.Http, runId) is { Status: "Completed" or "Failed" } r ? r : null,
            TimeSpan.FromMinutes(5),
            "the run to finish after the restart",
            TimeSpan.FromMilliseconds(250));

        Assert.True(done.Status == "Completed", done.Error ?? done.Progress?.Error);
        Assert.Equal(8, done.Result!.Sweep!.Trials.Count(t => t.Status == TrialStatuses.Completed));

        // A trial that is fitted again rewrites its marker; the ones stored before the crash were not touched.
        var after = await Markers(storage, prefix);
        Assert.Equal(8, after.Count);
        Assert.All(beforeCrash, m => Assert.Equal(m.Value, after[m.Key]));
    }

    private static async Task<Dictionary<string, ETag>> Markers(PlatformStorage storage, string prefix)
    {
        var markers = new Dictionary<string, ETag>();
        await foreach (var blob in storage.Runs.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix })) markers[blob.Name] = blob.Properties.ETag!.Value;
        return markers;
    }

    private static async Task<RunView?> RunAsync(HttpClient http, string runId)
    {
        var response = await http.GetAsync($"/api/runs/{runId}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RunView>(PlatformJson.Options) : null;
    }
}
