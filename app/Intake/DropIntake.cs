using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Core.Datasets;
using Serverless.Core.Ingest;
using Serverless.Core.Specs;
using Serverless.Core.Registry;
using Serverless.Core.Storage;
using Serverless.Core.Runs;

namespace Serverless.App.Intake;

/// <summary>
/// Turns a blob dropped at <c>datasets/{model}/incoming/{name}</c> into at most one successful pipeline run per
/// (content hash, spec): what determines the result. A drop whose bytes and spec already have a run that is going or
/// succeeded is archived as a duplicate; after a quarantine or a failure, or once the spec has changed, the same bytes
/// run again as the next attempt. Called by the Functions blob trigger and by the local host's watcher; safe to call
/// repeatedly and concurrently for the same or different blobs.
/// </summary>
public sealed class DropIntake(PlatformStorage storage, ModelSpecStore specs, IngestService ingest, IRunLauncher runs, TimeProvider time, ILogger<DropIntake> logger, ModelRegistry registry)
{
    public const string DuplicatesFolder = "duplicates";

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
        HashedDrop read;
        try
        {
            // Small drops are read once, whole; large ones are hashed while streaming and never held in memory.
            read = await DropContent.ReadAsync(blob, ingest.Options, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new DropOutcome(DropStatus.Gone, null, "already handled");
        }

        var (content, sha, etag) = (read.Content, read.Sha256, read.Version);
        if (!ModelName.IsValidModelName(model))
        {
            // Nothing is lost: the bytes go to quarantine under a reserved prefix with the reason.
            var prefix = $"_invalid-model/{sha}/";
            await using var stream = await content.OpenAsync(ct).ConfigureAwait(false);
            await DropArchive.ArchiveAndDeleteAsync(
                new DroppedFile(blob, etag),
                storage.Quarantine.GetBlobClient(prefix + BlobLayout.SafeName(blobName)),
                stream,
                storage.Quarantine.GetBlobClient(prefix + BlobLayout.ReportName),
                FileReports.ForFileProblem(fileName, new FileProblem("invalid-model-name", $"'{model}' is not a valid model name ({ModelName.Rule}).")),
                ct,
                content.TransferOptions).ConfigureAwait(false);
            return new DropOutcome(DropStatus.Rejected, null, $"invalid model name '{model}'");
        }

        if (await registry.GetArchiveAsync(model, ct).ConfigureAwait(false) is { } archived)
        {
            // An archived model trains no more: the drop is kept in quarantine with the reason, not run.
            var reason = new ModelArchivedException(archived).Message;
            var prefix = BlobLayout.QuarantinePrefix(model, sha);
            await using var stream = await content.OpenAsync(ct).ConfigureAwait(false);
            await DropArchive.ArchiveAndDeleteAsync(
                new DroppedFile(blob, etag),
                storage.Quarantine.GetBlobClient(prefix + BlobLayout.SafeName(fileName)),
                stream,
                storage.Quarantine.GetBlobClient(prefix + BlobLayout.ReportName),
                FileReports.ForFileProblem(fileName, new FileProblem("model-archived", reason)),
                ct,
                content.TransferOptions).ConfigureAwait(false);
            return new DropOutcome(DropStatus.Rejected, null, reason);
        }

        var (specParse, spec) = await specs.LoadWithIdentityAsync(model, ct).ConfigureAwait(false);
        for (var attempt = 0; ;)
        {
            var runId = RunIdFor(model, sha, attempt);
            var claimBlob = storage.Runs.GetBlobClient(BlobLayout.RunDropClaim(model, runId));
            DropClaim? mine = new DropClaim(blobName, fileName, sha, time.GetUtcNow(), spec, attempt, etag.ToString());
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
                await StartAsync(new PipelineInput(runId, model, sha, fileName, mine.ReceivedAt, blobName), content, specParse, blob, etag, ct).ConfigureAwait(false);
                logger.LogInformation("Drop {Blob} ({Bytes} bytes) started run {RunId}", blobName, content.Length, runId);
                return new DropOutcome(DropStatus.Started, runId, attempt == 0 ? "run scheduled" : $"run scheduled: attempt {attempt} at these bytes (earlier ones were quarantined, failed, or ran under another spec)");
            }

            var claim = await BlobJson.DownloadAsync<DropClaim>(claimBlob, ct).ConfigureAwait(false);
            var state = await runs.GetStateAsync(runId, ct).ConfigureAwait(false);
            if (state == RunState.Missing)
            {
                // A claim without a run: its owner crashed between claiming and scheduling, or lost its blob.
                if (claim.IncomingBlob == blobName || !await storage.Datasets.GetBlobClient(claim.IncomingBlob).ExistsAsync(ct).ConfigureAwait(false))
                {
                    if (await StartAsync(new PipelineInput(runId, model, sha, fileName, claim.ReceivedAt, blobName), content, specParse, blob, etag, ct).ConfigureAwait(false))
                    {
                        return new DropOutcome(DropStatus.Started, runId, "run scheduled for an earlier claim");
                    }

                    // Someone else scheduled it just now: look again.
                    continue;
                }

                return await ArchiveDuplicateAsync(model, sha, fileName, content, blob, etag, runId, "the same bytes are waiting to start", ct).ConfigureAwait(false);
            }

            var sameSpec = claim.SpecSha256.Length == 0 || claim.SpecSha256 == spec;
            if (sameSpec && state == RunState.Active)
            {
                // This very upload (a re-delivered trigger or a rescan): its intake or its run removes it once ingested.
                if (claim.IncomingBlob == blobName && (claim.IncomingETag is { } claimed
                    ? claimed == etag.ToString()
                    : !await storage.Runs.GetBlobClient(IngestOutcome.BlobName(model, runId)).ExistsAsync(ct).ConfigureAwait(false)))
                {
                    return new DropOutcome(DropStatus.AlreadyStarted, runId, "run exists");
                }

                return await ArchiveDuplicateAsync(model, sha, fileName, content, blob, etag, runId, $"same bytes and spec as run {runId}, in progress", ct).ConfigureAwait(false);
            }

            if (sameSpec && state == RunState.Succeeded)
            {
                return await ArchiveDuplicateAsync(model, sha, fileName, content, blob, etag, runId, $"same bytes and spec as run {runId}, which succeeded", ct).ConfigureAwait(false);
            }

            // Quarantined, failed, or under another spec: not what these bytes would give now; look at the next attempt.
            attempt++;
        }
    }

    /// <summary>
    /// Ingests the bytes already read (the drop's only download when small; a large one is read again as a stream,
    /// only in the version that was hashed), starts the run that reports the outcome, then
    /// removes the drop. True if this call started the run. If ingest fails here, the run's ingest step reads the drop
    /// and tries again, and quarantines it with the reason if that fails too.
    /// </summary>
    private async Task<bool> StartAsync(PipelineInput input, DropContent content, ModelSpecParseResult? spec, BlobClient blob, ETag etag, CancellationToken ct)
    {
        var drop = new DroppedFile(blob, etag);
        ArchivedDrop? archived = null;
        try
        {
            archived = await ingest.ArchivedAsync(input, drop, ct).ConfigureAwait(false)
                ?? (await ingest.IngestAsync(input, drop, content, spec, ct).ConfigureAwait(false)).Archive;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Ingest of drop {Blob} failed at intake; run {RunId}'s ingest step retries it", input.SourceBlob, input.RunId);
        }

        var started = await runs.TryStartAsync(input, ct).ConfigureAwait(false);
        if (archived is not null)
        {
            // Only the upload that was read: a newer one under the same name is a drop of its own.
            await DropArchive.DeleteAsync(archived, ct).ConfigureAwait(false);
        }

        return started;
    }

    private async Task<DropOutcome> ArchiveDuplicateAsync(string model, string sha, string fileName, DropContent content, BlobClient source, ETag etag, string runId, string why, CancellationToken ct)
    {
        var target = $"{BlobLayout.ProcessedPrefix(model, sha)}{DuplicatesFolder}/{time.GetUtcNow():yyyyMMddHHmmssfff}-{fileName}";
        ArchivedDrop archived;
        await using (var stream = await content.OpenAsync(ct).ConfigureAwait(false))
        {
            archived = await DropArchive.ArchiveAsync(new DroppedFile(source, etag), storage.Processed.GetBlobClient(target), stream, ct, content.TransferOptions).ConfigureAwait(false);
        }
        await DropArchive.DeleteAsync(archived, ct).ConfigureAwait(false);

        logger.LogInformation("Drop {File} for {Model} duplicates run {RunId} ({Why}); archived at processed/{Target}", fileName, model, runId, why, target);
        return new DropOutcome(DropStatus.Duplicate, runId, $"{why}; archived at {BlobLayout.ProcessedContainer}/{target}");
    }
}
