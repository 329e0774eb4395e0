using System.Net;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Core.Ingest;
using Serverless.Core.Runs;
using Serverless.Core.Datasets;
using Serverless.Core.Storage;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// Idempotency keyed on what determines a run's result (bytes + spec): a quarantined or failed drop can be dropped
/// again and runs again, a failed ingest ends in quarantine, and a re-drop of something that succeeded is archived.
/// </summary>
[Collection(PrivateHostCollection.Name)]
public sealed class DropRetryTests(PrivateHost fixture)
{
    private LocalHostFixture Host => fixture.Host;

    [Fact]
    public async Task A_drop_quarantined_under_a_wrong_spec_runs_again_once_the_spec_is_fixed_and_a_same_name_redrop_then_leaves_incoming_empty()
    {
        var model = Azurite.UniqueModel("retry");
        await Host.PutSpecAsync(model, Samples.SpecJson(s => s["features"]![0]!["max"] = 5));
        var bytes = Samples.Csv(1000, seed: 31);
        var sha = Sha(bytes);

        await Host.DropAsync(model, "data.csv", bytes);
        var first = await Host.WaitForRunAsync(DropIntake.RunIdFor(model, sha));
        Assert.Equal(RunOutcomes.Quarantined, first.Result!.Outcome);
        Assert.Contains("out-of-range", first.Result.Ingest.Reason, StringComparison.Ordinal);

        // The spec is fixed; the very same file (name and bytes) is dropped again and runs again.
        await Host.PutSpecAsync(model, Samples.SpecJson());
        await Host.DropAsync(model, "data.csv", bytes);
        var retry = await Host.WaitForRunAsync(DropIntake.RunIdFor(model, sha, 1));
        Assert.Equal(RunOutcomes.Promoted, retry.Result!.Outcome);
        Assert.Equal(1, retry.Result.Version);
        Assert.Empty(await ListAsync(Host.Storage.Datasets, BlobLayout.IncomingPrefix(model)));

        // Once more, same name, bytes and spec: a duplicate of the run that succeeded. Archived, incoming/ empties, no run.
        await Host.DropAsync(model, "data.csv", bytes);
        var duplicates = BlobLayout.ProcessedPrefix(model, sha) + DropIntake.DuplicatesFolder + "/";
        await Eventually.TrueAsync(async () => (await ListAsync(Host.Storage.Processed, duplicates)).Count == 1, TimeSpan.FromSeconds(30), "the re-drop to be archived");
        await Eventually.TrueAsync(async () => (await ListAsync(Host.Storage.Datasets, BlobLayout.IncomingPrefix(model))).Count == 0, TimeSpan.FromSeconds(30), "incoming/ to empty");
        var archived = await Host.Storage.Processed.GetBlobClient((await ListAsync(Host.Storage.Processed, duplicates))[0]).DownloadContentAsync();
        Assert.Equal(bytes, archived.Value.Content.ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Http.GetAsync($"/api/runs/{DropIntake.RunIdFor(model, sha, 2)}")).StatusCode);
    }

    [Fact]
    public async Task An_ingest_that_keeps_failing_ends_with_the_file_in_quarantine_with_the_reason_and_a_later_drop_retries_it()
    {
        var model = Azurite.UniqueModel("fail");
        await Host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        var bytes = Samples.Csv(800, seed: 32);
        var sha = Sha(bytes);

        // A storage failure that outlasts the step's retries: the archive container is gone, so ingest cannot archive.
        await Host.Storage.Processed.DeleteAsync();
        RunView run;
        try
        {
            await Host.DropAsync(model, "big export.csv", bytes);
            run = await Host.WaitForRunAsync(DropIntake.RunIdFor(model, sha));
        }
        finally
        {
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    await Host.Storage.Processed.CreateIfNotExistsAsync();
                    return true;
                }
                catch (Azure.RequestFailedException e) when (e.Status == 409)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), "the processed container to be re-created");
        }

        Assert.Equal("Completed", run.Status);
        Assert.Equal(RunOutcomes.Quarantined, run.Result!.Outcome);
        Assert.Contains("ingest failed", run.Result.Ingest.Reason, StringComparison.Ordinal);
        Assert.Contains("ContainerNotFound", run.Result.Ingest.Reason, StringComparison.Ordinal);
        Assert.Equal(["failed", "completed"], run.Progress!.Steps.Select(s => s.Status));

        var prefix = BlobLayout.QuarantinePrefix(model, sha);
        Assert.Equal(bytes, (await Host.Storage.Quarantine.GetBlobClient(prefix + "big export.csv").DownloadContentAsync()).Value.Content.ToArray());
        var report = await BlobJson.DownloadAsync<ValidationReport>(Host.Storage.Quarantine.GetBlobClient(prefix + BlobLayout.ReportName), default);
        Assert.Equal(IngestService.FailedRule, Assert.Single(report.FileProblems).Rule);
        Assert.Contains("ContainerNotFound", report.FileProblems[0].Message, StringComparison.Ordinal);
        Assert.Empty(await ListAsync(Host.Storage.Datasets, BlobLayout.IncomingPrefix(model)));

        // Storage is back; dropping the file again retries it.
        await Host.DropAsync(model, "big export.csv", bytes);
        var retry = await Host.WaitForRunAsync(DropIntake.RunIdFor(model, sha, 1));
        Assert.Equal(RunOutcomes.Promoted, retry.Result!.Outcome);
    }

    private static async Task<List<string>> ListAsync(BlobContainerClient container, string prefix)
    {
        var names = new List<string>();
        await foreach (var b in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(b.Name);
        }

        return names;
    }

    private static string Sha(byte[] bytes) => ContentHash.Sha256Hex(new MemoryStream(bytes));
}
