using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Durable.Pipeline;

namespace Serverless.Durable.Intake;

/// <summary>
/// Turns a blob dropped at <c>datasets/{model}/incoming/{name}</c> into at most one successful pipeline run per
/// (content hash, spec): what determines the result. A drop whose bytes and spec already have a run that is going or
/// succeeded is archived as a duplicate; after a quarantine or a failure, or once the spec has changed, the same bytes
/// run again as the next attempt. Called by the Functions blob trigger and by the local host's watcher; safe to call
/// repeatedly and concurrently for the same or different blobs.
/// </summary>
public sealed class DropIntake(PlatformStorage storage, DurableTaskClient client, TimeProvider time, ILogger<DropIntake> logger)
{
    public const string DuplicatesFolder = "duplicates";

    /// <summary>Spec identity when the model has no spec (the run quarantines with <c>missing-spec</c>).</summary>
    public const string NoSpec = "none";

    /// <summary>The first run of some bytes.</summary>
    public static string RunIdFor(string model, string sha256) => $"{model}-{sha256}";

    /// <summary>Attempt <paramref name="attempt"/> at some bytes: 0 is the first run, later ones follow a quarantine, a failure or a spec change.</summary>
    public static string RunIdFor(string model, string sha256, int attempt) => attempt == 0 ? RunIdFor(model, sha256) : $"{model}-{sha256}-a{attempt}";

    public async Task<DropOutcome> HandleAsync(string blobName, CancellationToken ct)
    {
        if (!BlobLayout.TryParseIncoming(blobName, out var model, out var fileName))
        {
            return new DropOutcome(DropStatus.Rejected, null, $"'{blobName}' is not under {{model}}/{BlobLayout.IncomingSegment}/.");
        }

        var blob = storage.Datasets.GetBlobClient(blobName);
        byte[] bytes;
        ETag etag;
        try
        {
            var download = await blob.DownloadContentAsync(ct).ConfigureAwait(false);
            (bytes, etag) = (download.Value.Content.ToArray(), download.Value.Details.ETag);
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

        var spec = await SpecIdentityAsync(storage, model, ct).ConfigureAwait(false);
        for (var attempt = 0; ;)
        {
            var runId = RunIdFor(model, sha, attempt);
            var claimBlob = storage.Runs.GetBlobClient(BlobLayout.RunPrefix(model, runId) + "drop.json");
            DropClaim? mine = new DropClaim(blobName, fileName, sha, time.GetUtcNow(), spec, attempt);
            try
            {
                await BlobJson.UploadAsync(claimBlob, mine, ct, new BlobRequestConditions { IfNoneMatch = ETag.All }).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                mine = null;
            }

            if (mine is not null)
            {
                await ScheduleAsync(new PipelineInput(runId, model, sha, fileName, mine.ReceivedAt, blobName), ct).ConfigureAwait(false);
                logger.LogInformation("Drop {Blob} ({Bytes} bytes) started run {RunId}", blobName, bytes.Length, runId);
                return new DropOutcome(DropStatus.Started, runId, attempt == 0 ? "run scheduled" : $"run scheduled: attempt {attempt} at these bytes (earlier ones were quarantined, failed, or ran under another spec)");
            }

            var claim = await BlobJson.DownloadAsync<DropClaim>(claimBlob, ct).ConfigureAwait(false);
            var state = await RunStateAsync(model, runId, ct).ConfigureAwait(false);
            if (state == RunState.Missing)
            {
                // A claim without a run: its owner crashed between claiming and scheduling, or lost its blob.
                if (claim.IncomingBlob == blobName || !await storage.Datasets.GetBlobClient(claim.IncomingBlob).ExistsAsync(ct).ConfigureAwait(false))
                {
                    if (await ScheduleAsync(new PipelineInput(runId, model, sha, fileName, claim.ReceivedAt, blobName), ct).ConfigureAwait(false))
                    {
                        return new DropOutcome(DropStatus.Started, runId, "run scheduled for an earlier claim");
                    }

                    // Someone else scheduled it just now: look again.
                    continue;
                }

                return await ArchiveDuplicateAsync(model, sha, fileName, bytes, blob, etag, runId, "the same bytes are waiting to start", ct).ConfigureAwait(false);
            }

            var sameSpec = claim.SpecSha256.Length == 0 || claim.SpecSha256 == spec;
            if (sameSpec && state == RunState.Active)
            {
                // This very blob, not yet read by its run's ingest (a re-delivered trigger or a rescan): the run will archive it.
                if (claim.IncomingBlob == blobName && !await storage.Runs.GetBlobClient(IngestOutcome.BlobName(model, runId)).ExistsAsync(ct).ConfigureAwait(false))
                {
                    return new DropOutcome(DropStatus.AlreadyStarted, runId, "run exists");
                }

                return await ArchiveDuplicateAsync(model, sha, fileName, bytes, blob, etag, runId, $"same bytes and spec as run {runId}, in progress", ct).ConfigureAwait(false);
            }

            if (sameSpec && state == RunState.Succeeded)
            {
                return await ArchiveDuplicateAsync(model, sha, fileName, bytes, blob, etag, runId, $"same bytes and spec as run {runId}, which succeeded", ct).ConfigureAwait(false);
            }

            // Quarantined, failed, or under another spec: not what these bytes would give now; look at the next attempt.
            attempt++;
        }
    }

    /// <summary>
    /// What the run's result depends on besides the bytes: the hash of the valid spec (as registered on model cards),
    /// of the raw text of an invalid one, or <see cref="NoSpec"/>.
    /// </summary>
    public static async Task<string> SpecIdentityAsync(PlatformStorage storage, string model, CancellationToken ct)
    {
        BinaryData content;
        try
        {
            content = (await storage.Models.GetBlobClient(BlobLayout.SpecBlob(model)).DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return NoSpec;
        }

        var parsed = ModelSpecValidator.Parse(content.ToString(), stored: true);
        return parsed is { IsValid: true, Spec: { } spec }
            ? PipelineActivities.SpecHash(spec)
            : "invalid-" + Convert.ToHexStringLower(SHA256.HashData(content.ToMemory().Span));
    }

    private enum RunState { Missing, Active, Succeeded, Retryable }

    private async Task<RunState> RunStateAsync(string model, string runId, CancellationToken ct)
    {
        var meta = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, ct).ConfigureAwait(false);
        if (meta is null)
        {
            return RunState.Missing;
        }

        return meta.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed => meta.ReadOutputAs<PipelineResult>() is { Outcome: not RunOutcomes.Quarantined } ? RunState.Succeeded : RunState.Retryable,
            OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated => RunState.Retryable,
            _ => RunState.Active,
        };
    }

    /// <summary>True if this call scheduled the run; false if it already existed (lost a race for the same claim).</summary>
    private async Task<bool> ScheduleAsync(PipelineInput input, CancellationToken ct)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(TrainingPipeline.Name, input, new() { InstanceId = input.RunId }, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (await client.GetInstanceAsync(input.RunId, ct).ConfigureAwait(false) is null)
            {
                throw;
            }

            return false;
        }
    }

    private async Task<DropOutcome> ArchiveDuplicateAsync(string model, string sha, string fileName, byte[] bytes, BlobClient source, ETag etag, string runId, string why, CancellationToken ct)
    {
        var target = $"{BlobLayout.ProcessedPrefix(model, sha)}{DuplicatesFolder}/{time.GetUtcNow():yyyyMMddHHmmssfff}-{fileName}";
        await storage.Processed.GetBlobClient(target).UploadAsync(new BinaryData(bytes), overwrite: true, ct).ConfigureAwait(false);
        try
        {
            // Archive first, delete second, and only the upload that was archived: a newer one under the same name is
            // a drop of its own (it is seen and handled again).
            await source.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = etag }, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
        }

        logger.LogInformation("Drop {File} for {Model} duplicates run {RunId} ({Why}); archived at processed/{Target}", fileName, model, runId, why, target);
        return new DropOutcome(DropStatus.Duplicate, runId, $"{why}; archived at {BlobLayout.ProcessedContainer}/{target}");
    }
}
