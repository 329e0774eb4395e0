using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Azure.Storage.Queues;
using Serverless.App.Intake;
using Serverless.App.Runs;
using Serverless.Core;
using Serverless.Core.Runs;
using Serverless.Core.Storage;
using Serverless.Core.Training.Remote;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// Cancel on a run that would otherwise wait for hours: its spec sends training to the trainer job, and this host runs
/// no trainer worker, so the run sits in its train step until canceled (as when a GPU job never starts).
/// </summary>
public sealed class RunCancelEndToEndTests
{
    [Fact(Timeout = 300_000)]
    public async Task Canceling_a_run_waiting_on_the_trainer_job_terminates_it_records_who_and_answers_409_afterwards()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var host = new LocalHostFixture { ConnectionString = azurite.ConnectionString, Configure = o => o.RunGpuTrainer = false };
        await host.InitializeAsync();
        try
        {
            var model = Azurite.UniqueModel("cancel");
            await host.PutSpecAsync(model, Samples.SpecJson(s => s["trainer"]!["compute"] = "job"));
            var bytes = Samples.Csv(400, seed: 41);
            await host.DropAsync(model, "waits.csv", bytes);
            var runId = DropIntake.RunIdFor(model, Convert.ToHexStringLower(SHA256.HashData(bytes)));

            var requests = new QueueServiceClient(azurite.ConnectionString, StorageClients.QueueOptions()).GetQueueClient(GpuQueues.Requests);
            await Eventually.TrueAsync(async () => await requests.ExistsAsync() && (await requests.GetPropertiesAsync()).Value.ApproximateMessagesCount == 1, TimeSpan.FromMinutes(2), "the run to queue its training request");
            var running = (await host.Http.GetFromJsonAsync<RunDetail>($"/api/runs/{runId}", PlatformJson.Options))!;
            Assert.Equal(("Running", PipelineSteps.Train), (running.Status, running.Progress!.Step));
            Assert.Equal(Serverless.Core.Specs.Routing.TrainingPlacement.Job, running.Placement!.Where); // from ingest.json, before any result

            var cancel = await host.Http.PostAsync($"/api/runs/{runId}/cancel", null);
            Assert.True(cancel.StatusCode == HttpStatusCode.Accepted, await cancel.Content.ReadAsStringAsync());
            Assert.Equal(RunHistory.CancelDetail, (await cancel.Content.ReadFromJsonAsync<RunCancelAccepted>(PlatformJson.Options))!.Detail);

            var ended = await host.WaitForRunAsync(runId);
            Assert.Equal("Terminated", ended.Status);
            var detail = (await host.Http.GetFromJsonAsync<RunDetail>($"/api/runs/{runId}", PlatformJson.Options))!;
            Assert.NotNull(detail.Canceled);
            Assert.Null(detail.Result);
            var listed = (await host.Http.GetFromJsonAsync<RunPage>($"/api/models/{model}/runs?status=canceled", PlatformJson.Options))!;
            Assert.Equal((runId, RunStatuses.Canceled), (Assert.Single(listed.Runs).RunId, listed.Runs[0].Status));
            Assert.Empty((await host.Http.GetFromJsonAsync<RunPage>($"/api/models/{model}/runs?status=running", PlatformJson.Options))!.Runs);
            var again = await host.Http.PostAsync($"/api/runs/{runId}/cancel", null);
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("is canceled; only a pending or running run can be canceled", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
