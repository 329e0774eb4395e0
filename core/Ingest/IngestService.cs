using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.FeatureStore;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;
using Serverless.Core.Specs.Routing;

namespace Serverless.Core.Ingest;

/// <summary>
/// A run's first step: a dropped file through the data contract into an archive copy, a report, and (accepted) a
/// Parquet snapshot with its manifest and the run's spec; the outcome is recorded at
/// <see cref="IngestOutcome.BlobName"/> before the drop leaves <c>incoming/</c>. Drop intake calls
/// <see cref="IngestAsync"/> with the content it has just read and hashed (<see cref="DropContent"/>: a small drop
/// is downloaded once, a large one hashed while streaming and read again only in that version); the run's
/// ingest activity then finds the record (<see cref="IngestRunAsync"/>) and reads the drop itself only when intake
/// could not ingest it. Every write is idempotent: a retry after a crash rewrites the same blobs.
/// </summary>
/// <param name="routing">Where <c>compute: auto</c> trains (<see cref="TrainingRouter"/>); defaults when absent.</param>
/// <param name="featureViews">The views a spec may name; the dropped rows then carry entity keys and event times (<see cref="FeatureViewSpecs.ForIngest"/>).</param>
public sealed class IngestService(PlatformStorage storage, ModelSpecStore specs, ILogger<IngestService> logger, IOptions<IngestOptions>? options = null, IOptions<TrainingRoutingOptions>? routing = null, FeatureViewCatalog? featureViews = null)
{
    private readonly TrainingRoutingOptions _routing = routing?.Value ?? new TrainingRoutingOptions();

    /// <summary>Quarantine rule of a drop whose ingest failed (not the data's fault, or not known to be).</summary>
    public const string FailedRule = "ingest-failed";

    /// <summary>Longest failure summary an outcome carries through durable history; the report blob has the rest.</summary>
    public const int MaxSummaryLength = 2_000;

    private const string Superseded = "superseded";

    private const string SupersededReason = "The dropped file was overwritten before ingest; the new content is handled by its own run.";

    public IngestOptions Options { get; } = options?.Value ?? new IngestOptions();

    /// <summary>
    /// Ingests <paramref name="content"/> (the content of <paramref name="drop"/>, whose SHA-256 is
    /// <c>input.DatasetSha256</c>) against the spec in <paramref name="specParse"/> (null, or invalid: the report says so).
    /// The contract reads the content as a stream and the snapshot leaves in row groups as it goes, so memory is bounded
    /// by a row group, not by the file. Does not remove the drop: the caller does with the returned archive, once the
    /// run that reports the outcome exists. A streamed drop overwritten since it was hashed throws
    /// <see cref="RequestFailedException"/> 412.
    /// </summary>
    public async Task<IngestedDrop> IngestAsync(PipelineInput input, DroppedFile drop, DropContent content, ModelSpecParseResult? specParse, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var spec = specParse is { IsValid: true, Spec: { } valid } ? valid : null;
        if (spec?.FeatureViews is { Count: > 0 } && FeatureViewSpecs.Check(spec, featureViews ?? FeatureViewCatalog.Empty) is { Count: > 0 } viewProblems)
        {
            (specParse, spec) = (new ModelSpecParseResult(spec, viewProblems), null);
        }

        ValidationReport report;
        PendingSnapshot? snapshot = null;
        if (spec is null)
        {
            var problems = specParse?.Problems.Select(p => $"{p.Path}: {p.Message}").ToList() ?? [];
            report = FileReports.ForFileProblem(input.SourceName, new FileProblem(problems.Count == 0 ? "missing-spec" : "invalid-spec",
                problems.Count == 0
                    ? $"No model spec at {BlobLayout.ModelsContainer}/{BlobLayout.SpecBlob(input.Model)}; PUT /api/models/{input.Model} first, then drop the file again."
                    : "The model spec is invalid: " + string.Join("; ", problems)));
        }
        else if (content.Length > Options.MaxDropBytes)
        {
            report = FileReports.ForFileProblem(input.SourceName, new FileProblem(ContractRules.FileTooLarge,
                $"The file is {content.Length} bytes; drops are limited to {Options.MaxDropBytes} bytes (setting {IngestOptions.Section}:{nameof(IngestOptions.MaxDropBytes)}). Split it into several drops or raise the limit."));
        }
        else
        {
            (report, snapshot) = await ValidateAsync(input, FeatureViewSpecs.ForIngest(spec, featureViews!) ?? spec, content, ct).ConfigureAwait(false);
        }

        var accepted = snapshot is not null;
        var archive = accepted ? storage.Processed : storage.Quarantine;
        var prefix = BlobLayout.ProcessedPrefix(input.Model, input.DatasetSha256);

        // The snapshot, the run's spec and the archive copy are independent, so they are written side by side.
        var archiving = ArchiveAsync(input, drop, content, archive.GetBlobClient(prefix + input.SourceName), archive.GetBlobClient(prefix + BlobLayout.ReportName), report, ct);
        var writes = new List<Task> { archiving };
        if (snapshot is not null)
        {
            writes.Add(CommitSnapshotAsync(input, spec!, snapshot, report, ct));
            writes.Add(BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunSpec(input.Model, input.RunId)), spec!, ct));
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
        var outcome = WithTrainer(
            new IngestOutcome(accepted, report.Verdict, report.ValidRows, report.InvalidRows, $"{archive.Name}/{prefix}{BlobLayout.ReportName}", accepted ? null : Summarize(report)),
            spec);
        // Recorded only once archived: a record is what lets a later step delete the drop (ArchivedAsync).
        await RecordAsync(input, outcome, ct).ConfigureAwait(false);

        foreach (var (rule, count) in report.ProblemCountsByRule)
        {
            PlatformTelemetry.ValidationProblems.Add(count, new("model", input.Model), new("rule", rule));
        }

        if (!accepted)
        {
            PlatformTelemetry.Runs.Add(1, new("model", input.Model), new("outcome", RunOutcomes.Quarantined));
        }

        logger.LogInformation("Ingested {Source} for {Model} ({Bytes} bytes, {Mode}): {Verdict}, {Valid}/{Total} rows valid", input.SourceName, input.Model, content.Length, content.IsInMemory ? "in memory" : "streamed", report.Verdict, report.ValidRows, report.TotalRows);
        return new IngestedDrop(outcome, await archiving.ConfigureAwait(false));
    }

    /// <summary>The archive of <paramref name="drop"/> when the run's ingest already completed (its outcome is recorded only after the archive).</summary>
    public async Task<ArchivedDrop?> ArchivedAsync(PipelineInput input, DroppedFile drop, CancellationToken ct) =>
        await RecordedAsync(input, ct).ConfigureAwait(false) is { } recorded
            ? DropArchive.Recorded(drop, ArchiveCopy(input, recorded))
            : null;

    /// <summary>
    /// The run's ingest step: the outcome recorded for it (intake ingested the drop), a dataset version already
    /// snapshotted, or else the drop read (once) and ingested now.
    /// </summary>
    public async Task<IngestOutcome> IngestRunAsync(PipelineInput input, CancellationToken ct)
    {
        var outcome = await IngestOrRecallAsync(input, ct).ConfigureAwait(false);
        await LogRunIngestAsync(input, outcome, ct).ConfigureAwait(false);
        return outcome;
    }

    private async Task<IngestOutcome> IngestOrRecallAsync(PipelineInput input, CancellationToken ct)
    {
        if (input.SourceBlob is null)
        {
            return await UseExistingVersionAsync(input, ct).ConfigureAwait(false);
        }

        var source = storage.Datasets.GetBlobClient(input.SourceBlob);
        if (await RecordedAsync(input, ct).ConfigureAwait(false) is { } recorded)
        {
            // Intake ingested it; the drop may still wait for its delete (intake removes it once the run exists).
            // The version intake read is not known here, so whatever is under the name goes.
            await DropArchive.DeleteAsync(DropArchive.Recorded(new DroppedFile(source, null), ArchiveCopy(input, recorded)), ct).ConfigureAwait(false);
            return recorded;
        }

        HashedDrop read;
        try
        {
            read = await DropContent.ReadAsync(source, Options, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // A retry after the blob was already archived: the archived report is the outcome.
            return await ArchivedOutcomeAsync(input, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Dropped file '{input.SourceBlob}' vanished before it was archived.");
        }

        if (read.Sha256 != input.DatasetSha256)
        {
            // Overwritten after the drop was seen: the new bytes start their own run; this one archives nothing.
            return new IngestOutcome(false, Superseded, 0, 0, "", SupersededReason);
        }

        IngestedDrop ingested;
        try
        {
            ingested = await IngestAsync(input, new DroppedFile(source, read.Version), read.Content, await specs.TryLoadAsync(input.Model, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Overwritten between the hash and the ingest pass of a streamed drop: as above, nothing was recorded.
            return new IngestOutcome(false, Superseded, 0, 0, "", SupersededReason);
        }

        await DropArchive.DeleteAsync(ingested.Archive, ct).ConfigureAwait(false);
        return ingested.Outcome;
    }

    /// <summary>The run's ingest as lines of its log, from the archived report (intake may have ingested it in another call).</summary>
    private async Task LogRunIngestAsync(PipelineInput input, IngestOutcome outcome, CancellationToken ct)
    {
        if (input.SourceBlob is null)
        {
            logger.LogInformation("Dataset version {Sha256} ({Rows} rows) trains again; no file is read.", input.DatasetSha256, outcome.Rows);
        }
        else if (outcome.ReportBlob.Split('/', 2) is [var container, var name] && await BlobJson.TryDownloadAsync<ValidationReport>(storage.Blobs.GetBlobContainerClient(container).GetBlobClient(name), ct).ConfigureAwait(false) is { } report)
        {
            logger.LogReport(report, input.ClientFileName ?? report.FileName, outcome.ReportBlob);
        }

        logger.LogOutcome(outcome);
    }

    /// <summary>
    /// The end of a drop whose ingest failed for good (an exception, out of memory, storage down past the retries):
    /// the file moves to quarantine with the reason, streamed rather than loaded, since loading it may be what failed.
    /// </summary>
    public async Task<IngestOutcome> QuarantineFailedAsync(PipelineInput input, string reason, CancellationToken ct)
    {
        var source = storage.Datasets.GetBlobClient(input.SourceBlob);
        var prefix = BlobLayout.QuarantinePrefix(input.Model, input.DatasetSha256);
        var report = FileReports.ForFileProblem(input.SourceName, new FileProblem(FailedRule, reason));
        var reportBlob = $"{storage.Quarantine.Name}/{prefix}{BlobLayout.ReportName}";
        ETag etag;
        string sha;
        try
        {
            etag = (await source.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false)).Value.ETag;
            await using var read = await OpenUnchangedAsync(source, etag, ct).ConfigureAwait(false);
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct).ConfigureAwait(false));
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone (the failed ingest had archived it) or replaced: whatever ingest recorded is the outcome.
            return await ArchivedOutcomeAsync(input, ct).ConfigureAwait(false)
                ?? new IngestOutcome(false, ValidationReport.Verdicts.Quarantined, 0, 0, "", $"{FailedRule}: {reason} (the dropped file had already left incoming/)");
        }

        if (sha != input.DatasetSha256)
        {
            return new IngestOutcome(false, Superseded, 0, 0, "", SupersededReason);
        }

        ArchivedDrop archived;
        await using (var read = await OpenUnchangedAsync(source, etag, ct).ConfigureAwait(false))
        {
            archived = await DropArchive.ArchiveAsync(new DroppedFile(source, etag), storage.Quarantine.GetBlobClient(prefix + input.SourceName), read, storage.Quarantine.GetBlobClient(prefix + BlobLayout.ReportName), report, ct).ConfigureAwait(false);
        }

        var outcome = new IngestOutcome(false, report.Verdict, 0, 0, reportBlob, Summarize(report));
        await RecordAsync(input, outcome, ct).ConfigureAwait(false);
        await DropArchive.DeleteAsync(archived, ct).ConfigureAwait(false);
        PlatformTelemetry.Runs.Add(1, new("model", input.Model), new("outcome", RunOutcomes.Quarantined));
        logger.LogWarning("Ingest of {Source} for {Model} failed; quarantined: {Reason}", input.SourceName, input.Model, reason);
        return outcome;
    }

    /// <summary>The outcome recorded for the run, if its ingest completed.</summary>
    public Task<IngestOutcome?> RecordedAsync(PipelineInput input, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<IngestOutcome>(storage.Runs.GetBlobClient(IngestOutcome.BlobName(input.Model, input.RunId)), ct);

    private BlobClient ArchiveCopy(PipelineInput input, IngestOutcome recorded) =>
        (recorded.Accepted ? storage.Processed : storage.Quarantine).GetBlobClient(BlobLayout.ProcessedPrefix(input.Model, input.DatasetSha256) + input.SourceName);

    private Task RecordAsync(PipelineInput input, IngestOutcome outcome, CancellationToken ct) =>
        BlobJson.UploadAsync(storage.Runs.GetBlobClient(IngestOutcome.BlobName(input.Model, input.RunId)), outcome, ct);

    /// <summary>The spec the run ingested under, and where and why it trains (decided here, where the size is known), for the later steps.</summary>
    private IngestOutcome WithTrainer(IngestOutcome outcome, ModelSpec? spec)
    {
        if (!outcome.Accepted || spec is null)
        {
            return outcome;
        }

        var placement = TrainingRouter.Decide(spec.Trainer, outcome.Rows, TrainingRouter.Columns(spec), _routing);
        return outcome with { RemoteTrainer = placement.OnJob, TrainerTimeout = spec.Trainer.Timeout ?? TrainerSpec.DefaultTimeout, Spec = spec, Placement = placement };
    }

    private static Task<Stream> OpenUnchangedAsync(BlobClient source, ETag etag, CancellationToken ct) =>
        source.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = etag } }, ct);

    /// <summary>
    /// Runs the contract over a stream of <paramref name="content"/> while the valid rows go to a snapshot in row
    /// groups: in memory for a drop already in memory, else as staged blocks of the version's data blob, which become
    /// its content only when the file is accepted (<see cref="CommitSnapshotAsync"/>). The report, and the snapshot
    /// when accepted (null otherwise).
    /// </summary>
    private async Task<(ValidationReport Report, PendingSnapshot? Snapshot)> ValidateAsync(PipelineInput input, ModelSpec spec, DropContent content, CancellationToken ct)
    {
        Stream dest = content.IsInMemory
            ? new MemoryStream()
            : new StagedBlockStream(storage.Datasets.GetBlockBlobClient(BlobLayout.DatasetData(input.Model, input.DatasetSha256)), Options.BlockBytes);
        var columns = DatasetContract.SnapshotColumns(spec);
        var writer = new SnapshotWriter(columns, dest, Options.SnapshotRowGroupRows, ct);
        await using (writer.ConfigureAwait(false))
        {
            ContractResult result;
            await using (var file = await content.OpenAsync(ct).ConfigureAwait(false))
            {
                // CPU-bound parsing (and blocking reads of a streamed drop) stay off the caller's thread.
                result = await Task.Run(() => DatasetContract.Validate(file, input.SourceName, spec, Options.Contract, writer, ct), ct).ConfigureAwait(false);
            }

            if (!result.Accepted)
            {
                // Staged blocks that are never committed are discarded by the service; the version is untouched.
                return (result.Report, null);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
            return (result.Report, new PendingSnapshot(columns, dest, result.Report.ValidRows, writer.RowGroups));
        }
    }

    private async Task CommitSnapshotAsync(PipelineInput input, ModelSpec spec, PendingSnapshot snapshot, ValidationReport report, CancellationToken ct)
    {
        if (snapshot.Data is StagedBlockStream staged)
        {
            await staged.CommitAsync(ct).ConfigureAwait(false);
        }
        else
        {
            var bytes = ((MemoryStream)snapshot.Data).ToArray();
            await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(input.Model, input.DatasetSha256)).UploadAsync(new BinaryData(bytes), overwrite: true, ct).ConfigureAwait(false);
        }

        var manifest = new DatasetManifest(input.Model, input.DatasetSha256, snapshot.Rows, DatasetManifest.DescribeSchema(snapshot.Columns, spec.Label), input.SourceName, input.ReceivedAt, report.InvalidRows, ModelSpecStore.Hash(spec));
        await DatasetVersions.WriteManifestAsync(storage, manifest, ct).ConfigureAwait(false);
    }

    /// <summary>The archive copy and the report; a streamed drop is read again (only in the version that was hashed) and uploaded in blocks.</summary>
    private async Task<ArchivedDrop> ArchiveAsync(PipelineInput input, DroppedFile drop, DropContent content, BlobClient copy, BlobClient reportBlob, ValidationReport report, CancellationToken ct)
    {
        await using var bytes = await content.OpenAsync(ct).ConfigureAwait(false);
        return await DropArchive.ArchiveAsync(drop, copy, bytes, reportBlob, report, ct, ClientFileName.Metadata(input.ClientFileName), content.TransferOptions).ConfigureAwait(false);
    }

    private async Task<IngestOutcome> UseExistingVersionAsync(PipelineInput input, CancellationToken ct)
    {
        var manifest = await BlobJson.TryDownloadAsync<DatasetManifest>(storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(input.Model, input.DatasetSha256)), ct).ConfigureAwait(false)
            ?? throw new ArgumentException($"Model '{input.Model}' has no dataset version {input.DatasetSha256}.");
        var parsed = await specs.TryLoadAsync(input.Model, ct).ConfigureAwait(false);
        if (parsed is not { IsValid: true, Spec: { } spec })
        {
            throw new ArgumentException(parsed is null
                ? $"Model '{input.Model}' has no spec."
                : "The model spec is invalid: " + string.Join("; ", parsed.Problems.Select(p => $"{p.Path}: {p.Message}")));
        }

        var missing = spec.Features.Select(f => f.Name).Append(spec.Label).Where(n => manifest.Schema.All(c => c.Name != n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Dataset version {input.DatasetSha256} lacks columns the current spec needs: {string.Join(", ", missing)}.");
        }

        await BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunSpec(input.Model, input.RunId)), spec, ct).ConfigureAwait(false);
        return WithTrainer(
            new IngestOutcome(true, "existing-version", manifest.Rows, 0, $"{BlobLayout.DatasetsContainer}/{BlobLayout.DatasetManifest(input.Model, input.DatasetSha256)}", null),
            spec);
    }

    /// <summary>What an earlier attempt at this drop archived, when the drop itself is gone.</summary>
    private async Task<IngestOutcome?> ArchivedOutcomeAsync(PipelineInput input, CancellationToken ct)
    {
        // This run's own record (its spec and snapshot were written before it).
        if (await RecordedAsync(input, ct).ConfigureAwait(false) is { } recorded)
        {
            return recorded;
        }

        var prefix = BlobLayout.ProcessedPrefix(input.Model, input.DatasetSha256);
        foreach (var (container, accepted) in new[] { (storage.Processed, true), (storage.Quarantine, false) })
        {
            if (await BlobJson.TryDownloadAsync<ValidationReport>(container.GetBlobClient(prefix + BlobLayout.ReportName), ct).ConfigureAwait(false) is { } report)
            {
                ModelSpec? spec = null;
                if (accepted)
                {
                    spec = await specs.LoadValidAsync(input.Model, ct).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"Model '{input.Model}' lost its spec after '{input.SourceBlob}' was archived.");
                    await BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunSpec(input.Model, input.RunId)), spec, ct).ConfigureAwait(false);
                }

                return WithTrainer(
                    new IngestOutcome(accepted, report.Verdict, report.ValidRows, report.InvalidRows, $"{container.Name}/{prefix}{BlobLayout.ReportName}", accepted ? null : Summarize(report)),
                    spec);
            }
        }

        return null;
    }

    /// <summary>
    /// Why a file was quarantined, short enough for durable history (bounded by <see cref="MaxSummaryLength"/>): the
    /// report blob lists every problem.
    /// </summary>
    private static string Summarize(ValidationReport report)
    {
        var summary = report.FileProblems.Count > 0
            ? string.Join("; ", report.FileProblems.Take(5).Select(p => $"{p.Rule}: {p.Message}"))
                + (report.FileProblems.Count > 5 ? $"; and {report.ProblemCountsByRule.Values.Sum() - 5} more problem(s) in the report" : "")
            : $"{report.InvalidRows} of {report.TotalRows} rows invalid ({report.InvalidFraction:P1} > {report.MaxInvalidRowFraction:P1}): "
                + string.Join(", ", report.ProblemCountsByRule.Select(kv => $"{kv.Key} ×{kv.Value}"));
        return summary.Length <= MaxSummaryLength ? summary : summary[..(MaxSummaryLength - 1)] + "…";
    }

    /// <summary>An accepted file's snapshot, written but not yet in place.</summary>
    private sealed record PendingSnapshot(IReadOnlyList<(string Name, ColumnKind Kind)> Columns, Stream Data, long Rows, int RowGroups);
}
