using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Durable.Pipeline;

namespace Serverless.Durable.Intake;

/// <summary>
/// Turns a blob dropped at <c>datasets/{model}/incoming/{name}</c> into at most one pipeline run per content
/// hash. Called by the Functions blob trigger and by the local host's watcher; safe to call repeatedly and
/// concurrently for the same or different blobs.
/// </summary>
public sealed class DropIntake(PlatformStorage storage, DurableTaskClient client, TimeProvider time, ILogger<DropIntake> logger)
{
    public const string DuplicatesFolder = "duplicates";

    public static string RunIdFor(string model, string sha256) => $"{model}-{sha256}";

    public async Task<DropOutcome> HandleAsync(string blobName, CancellationToken ct)
    {
        if (!BlobLayout.TryParseIncoming(blobName, out var model, out var fileName))
        {
            return new DropOutcome(DropStatus.Rejected, null, $"'{blobName}' is not under {{model}}/{BlobLayout.IncomingSegment}/.");
        }

        var blob = storage.Datasets.GetBlobClient(blobName);
        byte[] bytes;
        try
        {
            bytes = (await blob.DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new DropOutcome(DropStatus.Gone, null, "already handled");
        }

        var sha = ContentHash.Sha256Hex(new MemoryStream(bytes, writable: false));
        if (!ModelName.IsValidModelName(model))
        {
            // Nothing is lost: the bytes go to quarantine under a reserved prefix with the reason.
            var prefix = $"_invalid-model/{sha}/";
            await storage.Quarantine.GetBlobClient(prefix + BlobLayout.SafeName(blobName)).UploadAsync(new BinaryData(bytes), overwrite: true, ct).ConfigureAwait(false);
            await BlobJson.UploadAsync(
                storage.Quarantine.GetBlobClient(prefix + BlobLayout.ReportName),
                FileReports.ForFileProblem(fileName, new FileProblem("invalid-model-name", $"'{model}' is not a valid model name ({ModelName.Rule}).")),
                ct).ConfigureAwait(false);
            await blob.DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            return new DropOutcome(DropStatus.Rejected, null, $"invalid model name '{model}'");
        }

        var runId = RunIdFor(model, sha);
        var claimBlob = storage.Runs.GetBlobClient(BlobLayout.RunPrefix(model, runId) + "drop.json");
        var claim = new DropClaim(blobName, fileName, sha, time.GetUtcNow());
        try
        {
            await BlobJson.UploadAsync(claimBlob, claim, ct, new BlobRequestConditions { IfNoneMatch = ETag.All }).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            claim = await BlobJson.DownloadAsync<DropClaim>(claimBlob, ct).ConfigureAwait(false);
            if (claim.IncomingBlob != blobName)
            {
                return await ArchiveDuplicateAsync(model, sha, fileName, bytes, blob, runId, ct).ConfigureAwait(false);
            }

            // Same blob seen again (watcher rescan, trigger retry, or a crash between claim and schedule).
            if (await client.GetInstanceAsync(runId, ct).ConfigureAwait(false) is not null)
            {
                return new DropOutcome(DropStatus.AlreadyStarted, runId, "run exists");
            }
        }

        await ScheduleAsync(new PipelineInput(runId, model, sha, claim.SourceName, claim.ReceivedAt, blobName), ct).ConfigureAwait(false);
        logger.LogInformation("Drop {Blob} ({Bytes} bytes) started run {RunId}", blobName, bytes.Length, runId);
        return new DropOutcome(DropStatus.Started, runId, "run scheduled");
    }

    private async Task ScheduleAsync(PipelineInput input, CancellationToken ct)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(TrainingPipeline.Name, input, new() { InstanceId = input.RunId }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Lost a race with another caller for the same claim: fine if the run exists, which is all we want.
            if (await client.GetInstanceAsync(input.RunId, ct).ConfigureAwait(false) is null)
            {
                throw;
            }
        }
    }

    private async Task<DropOutcome> ArchiveDuplicateAsync(string model, string sha, string fileName, byte[] bytes, Azure.Storage.Blobs.BlobClient source, string runId, CancellationToken ct)
    {
        var target = $"{BlobLayout.ProcessedPrefix(model, sha)}{DuplicatesFolder}/{time.GetUtcNow():yyyyMMddHHmmssfff}-{fileName}";
        await storage.Processed.GetBlobClient(target).UploadAsync(new BinaryData(bytes), overwrite: true, ct).ConfigureAwait(false);
        await source.DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        logger.LogInformation("Drop {File} for {Model} duplicates run {RunId}; archived at processed/{Target}", fileName, model, runId, target);
        return new DropOutcome(DropStatus.Duplicate, runId, $"same bytes as run {runId}; archived at {BlobLayout.ProcessedContainer}/{target}");
    }
}
