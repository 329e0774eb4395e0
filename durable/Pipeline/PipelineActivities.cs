using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Monitoring;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;
using Serverless.Core.Training;
using Serverless.Core.Training.Remote;
using Serverless.Durable.Intake;

namespace Serverless.Durable.Pipeline;

/// <summary>
/// The pipeline's activities. Each is idempotent (a retry after a crash rewrites the same blobs or finds the
/// version it already claimed) and passes paths, not data, back to the orchestration.
/// </summary>
public sealed class PipelineActivities(
    PlatformStorage storage,
    RunArtifacts artifacts,
    ModelRegistry registry,
    GpuTrainingQueue gpuQueue,
    TimeProvider time,
    ILogger<PipelineActivities> logger)
{
    /// <summary>Quarantine rule of a drop whose ingest failed (not the data's fault, or not known to be).</summary>
    public const string IngestFailedRule = "ingest-failed";

    public static readonly string PlatformVersion =
        typeof(PipelineActivities).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public Task<IngestOutcome> IngestAsync(PipelineInput input, CancellationToken ct) =>
        Traced(PipelineSteps.Ingest, input.RunId, input.Model, async () => await WithTrainerAsync(input, await IngestCoreAsync(input, ct).ConfigureAwait(false), ct).ConfigureAwait(false), o => o.Accepted ? "accepted" : "quarantined");

    /// <summary>Hands a GPU trainer request to the trainer job's queue; its answer comes back as the run's external event.</summary>
    public Task<bool> DispatchTrainingAsync(TrainRequest request, CancellationToken ct) =>
        Traced("dispatch", request.RunId, request.Model, async () =>
        {
            await gpuQueue.SendRequestAsync(new GpuTrainingRequest(request.RunId, request.Model, request.DatasetSha256, time.GetUtcNow()), ct).ConfigureAwait(false);
            return true;
        });

    /// <summary>Tells the orchestration how this run trains, from the spec the run was started with.</summary>
    private async Task<IngestOutcome> WithTrainerAsync(PipelineInput input, IngestOutcome outcome, CancellationToken ct)
    {
        if (!outcome.Accepted)
        {
            return outcome;
        }

        var trainer = (await artifacts.ReadSpecAsync(input.Model, input.RunId, ct).ConfigureAwait(false)).Trainer;
        return outcome with { RemoteTrainer = trainer.UsesRemoteTrainer, TrainerTimeout = trainer.Timeout ?? TrainerSpec.DefaultTimeout };
    }

    private async Task<IngestOutcome> IngestCoreAsync(PipelineInput input, CancellationToken ct)
    {
        if (input.SourceBlob is null)
        {
            return await UseExistingVersionAsync(input, ct).ConfigureAwait(false);
        }

        var source = storage.Datasets.GetBlobClient(input.SourceBlob);
        byte[] bytes;
        try
        {
            bytes = (await source.DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // A retry after the blob was already archived: the archived report is the outcome.
            return await ArchivedOutcomeAsync(input, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Dropped file '{input.SourceBlob}' vanished before it was archived.");
        }

        if (ContentHash.Sha256Hex(new MemoryStream(bytes, writable: false)) != input.DatasetSha256)
        {
            // Overwritten after the drop was seen: the new bytes start their own run; this one archives nothing.
            return new IngestOutcome(false, "superseded", 0, 0, "", "The dropped file was overwritten before ingest; the new content is handled by its own run.");
        }

        var (spec, specProblems) = await LoadSpecAsync(input.Model, ct).ConfigureAwait(false);
        ContractResult? result = null;
        ValidationReport report;
        if (spec is null)
        {
            report = FileReports.ForFileProblem(input.SourceName, new FileProblem(specProblems.Count == 0 ? "missing-spec" : "invalid-spec",
                specProblems.Count == 0
                    ? $"No model spec at {BlobLayout.ModelsContainer}/{BlobLayout.SpecBlob(input.Model)}; PUT /api/models/{input.Model} first, then drop the file again."
                    : "The model spec is invalid: " + string.Join("; ", specProblems)));
        }
        else
        {
            using var stream = new MemoryStream(bytes, writable: false);
            result = DatasetContract.Validate(stream, input.SourceName, spec, ct);
            report = result.Report;
        }

        var accepted = result is { Accepted: true, Data: not null };
        var archive = accepted ? storage.Processed : storage.Quarantine;
        var prefix = BlobLayout.ProcessedPrefix(input.Model, input.DatasetSha256);
        // Archive first, delete second: the original bytes exist somewhere at every moment. The snapshot, the
        // run's spec and the archive copy are independent, so they are written side by side.
        var writes = new List<Task>
        {
            archive.GetBlobClient(prefix + input.SourceName).UploadAsync(new BinaryData(bytes), overwrite: true, ct),
            BlobJson.UploadAsync(archive.GetBlobClient(prefix + BlobLayout.ReportName), report, ct),
        };
        if (result is { Accepted: true, Data: { } data })
        {
            writes.Add(WriteSnapshotAsync(input, spec!, data, report, ct));
            writes.Add(artifacts.WriteSpecAsync(input.Model, input.RunId, spec!, ct));
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
        var outcome = new IngestOutcome(
            accepted,
            report.Verdict,
            report.ValidRows,
            report.InvalidRows,
            $"{archive.Name}/{prefix}{BlobLayout.ReportName}",
            accepted ? null : Summarize(report));
        await BlobJson.UploadAsync(storage.Runs.GetBlobClient(IngestOutcome.BlobName(input.Model, input.RunId)), outcome, ct).ConfigureAwait(false);
        await source.DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);

        foreach (var (rule, count) in report.ProblemCountsByRule)
        {
            PlatformTelemetry.ValidationProblems.Add(count, new("model", input.Model), new("rule", rule));
        }

        if (!accepted)
        {
            PlatformTelemetry.Runs.Add(1, new("model", input.Model), new("outcome", RunOutcomes.Quarantined));
        }

        logger.LogInformation("Ingested {Source} for {Model}: {Verdict}, {Valid}/{Total} rows valid", input.SourceName, input.Model, report.Verdict, report.ValidRows, report.TotalRows);
        return outcome;
    }

    public Task<IngestOutcome> QuarantineDropAsync(QuarantineRequest request, CancellationToken ct) =>
        Traced(PipelineSteps.Quarantine, request.Input.RunId, request.Input.Model, () => QuarantineDropCoreAsync(request, ct), o => o.Verdict);

    /// <summary>
    /// The end of a drop whose ingest failed for good (an exception, out of memory, storage down past the retries):
    /// the file moves to quarantine with the reason, streamed rather than loaded, since loading it may be what failed.
    /// </summary>
    private async Task<IngestOutcome> QuarantineDropCoreAsync(QuarantineRequest request, CancellationToken ct)
    {
        var input = request.Input;
        var source = storage.Datasets.GetBlobClient(input.SourceBlob);
        var prefix = BlobLayout.QuarantinePrefix(input.Model, input.DatasetSha256);
        var report = FileReports.ForFileProblem(input.SourceName, new FileProblem(IngestFailedRule, request.Reason));
        var reportBlob = $"{storage.Quarantine.Name}/{prefix}{BlobLayout.ReportName}";
        ETag etag;
        string sha;
        try
        {
            var properties = await source.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false);
            etag = properties.Value.ETag;
            await using var read = await source.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = etag } }, ct).ConfigureAwait(false);
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct).ConfigureAwait(false));
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone (the failed ingest had archived it) or replaced: whatever ingest recorded is the outcome.
            return await ArchivedOutcomeAsync(input, ct).ConfigureAwait(false)
                ?? new IngestOutcome(false, ValidationReport.Verdicts.Quarantined, 0, 0, "", $"{IngestFailedRule}: {request.Reason} (the dropped file had already left incoming/)");
        }

        if (sha != input.DatasetSha256)
        {
            return new IngestOutcome(false, "superseded", 0, 0, "", "The dropped file was overwritten before ingest; the new content is handled by its own run.");
        }

        var target = storage.Quarantine.GetBlobClient(prefix + input.SourceName);
        await using (var read = await source.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = etag } }, ct).ConfigureAwait(false))
        {
            await target.UploadAsync(read, overwrite: true, ct).ConfigureAwait(false);
        }

        await BlobJson.UploadAsync(storage.Quarantine.GetBlobClient(prefix + BlobLayout.ReportName), report, ct).ConfigureAwait(false);
        var outcome = new IngestOutcome(false, report.Verdict, 0, 0, reportBlob, Summarize(report));
        await BlobJson.UploadAsync(storage.Runs.GetBlobClient(IngestOutcome.BlobName(input.Model, input.RunId)), outcome, ct).ConfigureAwait(false);
        await source.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = etag }, cancellationToken: ct).ConfigureAwait(false);
        PlatformTelemetry.Runs.Add(1, new("model", input.Model), new("outcome", RunOutcomes.Quarantined));
        logger.LogWarning("Ingest of {Source} for {Model} failed; quarantined: {Reason}", input.SourceName, input.Model, request.Reason);
        return outcome;
    }

    public Task<TrainOutcome> TrainAsync(TrainRequest request, CancellationToken ct) =>
        Traced(PipelineSteps.Train, request.RunId, request.Model, () => TrainCoreAsync(request, ct));

    private async Task<TrainOutcome> TrainCoreAsync(TrainRequest request, CancellationToken ct)
    {
        var specRead = artifacts.ReadSpecAsync(request.Model, request.RunId, ct);
        var data = await artifacts.ReadDatasetAsync(request.Model, request.DatasetSha256, ct).ConfigureAwait(false);
        var spec = await specRead.ConfigureAwait(false);
        var trained = new ModelTrainer().Train(spec, data, ct);
        var record = await artifacts.WriteTrainingAsync(request.Model, request.RunId, spec, data, trained, "cpu", ct).ConfigureAwait(false);
        logger.LogInformation("Trained {Model} run {RunId}: {Rows} rows in {Seconds:F2} s", request.Model, request.RunId, trained.TrainRows, trained.FitTime.TotalSeconds);
        return TrainOutcome.From(record);
    }

    public Task<EvaluationOutcome> EvaluateAsync(RunRef run, CancellationToken ct) =>
        Traced(PipelineSteps.Evaluate, run.RunId, run.Model, () => EvaluateCoreAsync(run, ct), o => o.Passed ? "passed" : "failed");

    private async Task<EvaluationOutcome> EvaluateCoreAsync(RunRef run, CancellationToken ct)
    {
        var specRead = artifacts.ReadSpecAsync(run.Model, run.RunId, ct);
        var trainingRead = artifacts.ReadTrainingAsync(run.Model, run.RunId, ct);
        var holdoutRead = artifacts.ReadHoldoutAsync(run.Model, run.RunId, ct);
        var candidateRead = artifacts.ReadCandidateAsync(run.Model, run.RunId, ct);
        var championRead = registry.GetAliasesAsync(run.Model, ct);
        await Task.WhenAll(specRead, trainingRead, holdoutRead, candidateRead, championRead).ConfigureAwait(false);
        var (spec, training, holdout, candidateBytes) = (specRead.Result, trainingRead.Result, holdoutRead.Result, candidateRead.Result);

        IReadOnlyDictionary<string, double> candidateMetrics;
        using (var candidate = new OnnxModel(candidateBytes, spec.Task, training.ClassLabels))
        {
            candidateMetrics = Score(spec, candidate, holdout);
        }

        // The champion is re-scored on this run's holdout, so both numbers describe the same rows.
        IReadOnlyDictionary<string, double>? championMetrics = null;
        var championSeen = championRead.Result.Get(ModelAliases.Champion);
        var championVersion = championSeen;
        string? note = null;
        if (championVersion is { } cv && await registry.GetCardAsync(run.Model, cv, ct).ConfigureAwait(false) is { } championCard)
        {
            var missing = championCard.Inputs.Where(i => !holdout.Contains(i.Name)).Select(i => i.Name).ToList();
            if (championCard.Task != spec.Task || missing.Count > 0)
            {
                note = championCard.Task != spec.Task
                    ? $"Champion v{cv} solves a different task ({championCard.Task}); comparison skipped."
                    : $"Champion v{cv} needs inputs this dataset lacks ({string.Join(", ", missing)}); comparison skipped.";
            }
            else
            {
                using var champion = new OnnxModel(await registry.GetModelAsync(run.Model, cv, ct).ConfigureAwait(false), championCard.Task, championCard.ClassLabels);
                championMetrics = Score(spec, champion, holdout);
            }
        }
        else
        {
            championVersion = null;
        }

        var gate = GateEvaluator.Evaluate(spec, candidateMetrics, championMetrics, championVersion, note);
        var gateBlob = BlobLayout.RunGateReport(run.Model, run.RunId);
        await BlobJson.UploadAsync(storage.Runs.GetBlobClient(gateBlob), gate, ct).ConfigureAwait(false);
        return new EvaluationOutcome(
            gate.Passed,
            candidateMetrics,
            championMetrics is null ? null : championVersion,
            championMetrics,
            $"{BlobLayout.RunsContainer}/{gateBlob}",
            gate.Checks.Where(c => !c.Passed).Select(c => c.Detail).ToList(),
            championSeen);
    }

    public Task<int> RegisterAsync(RegisterRequest request, CancellationToken ct) =>
        Traced(PipelineSteps.Register, request.RunId, request.Model, () => RegisterCoreAsync(request, ct));

    private async Task<int> RegisterCoreAsync(RegisterRequest request, CancellationToken ct)
    {
        var runs = storage.Runs;
        var spec = await artifacts.ReadSpecAsync(request.Model, request.RunId, ct).ConfigureAwait(false);
        var training = await artifacts.ReadTrainingAsync(request.Model, request.RunId, ct).ConfigureAwait(false);
        var gate = await BlobJson.DownloadAsync<GateReport>(runs.GetBlobClient(BlobLayout.RunGateReport(request.Model, request.RunId)), ct).ConfigureAwait(false);
        var onnx = await artifacts.ReadCandidateAsync(request.Model, request.RunId, ct).ConfigureAwait(false);

        var card = new ModelCard
        {
            Model = request.Model,
            RunId = request.RunId,
            CreatedAt = time.GetUtcNow(),
            Task = spec.Task,
            Inputs = spec.Features,
            MissingValues = spec.MissingValues,
            AllowExtraColumns = spec.AllowExtraColumns,
            ClassLabels = training.ClassLabels,
            Trainer = spec.Trainer.Type,
            TrainerParameters = training.TrainerParameters,
            Metrics = gate.CandidateMetrics,
            Gate = gate,
            DatasetSha256 = request.DatasetSha256,
            TrainRows = training.TrainRows,
            HoldoutRows = training.HoldoutRows,
            SpecSha256 = SpecHash(spec),
            PlatformVersion = PlatformVersion,
            FitSeconds = training.FitSeconds,
        };
        var version = await registry.RegisterAsync(card, onnx, ct).ConfigureAwait(false);
        var reference = await runs.GetBlobClient(BlobLayout.RunReference(request.Model, request.RunId)).DownloadContentAsync(ct).ConfigureAwait(false);
        await storage.Registry.GetBlobClient(BlobLayout.RegistryReference(request.Model, version)).UploadAsync(reference.Value.Content, overwrite: true, ct).ConfigureAwait(false);
        logger.LogInformation("Registered {Model} v{Version} from run {RunId}", request.Model, version, request.RunId);
        return version;
    }

    public Task<PromoteOutcome> PromoteAsync(PromoteRequest request, CancellationToken ct) =>
        Traced(PipelineSteps.Promote, request.RunId, request.Model, () => PromoteCoreAsync(request, ct), o => o.Promoted ? "promoted" : "champion-changed");

    /// <summary>
    /// Moves the champion alias only if it still names the version the gate beat: a newer champion or a manual
    /// rollback made since evaluation wins, and this version stays registered, not promoted.
    /// </summary>
    private async Task<PromoteOutcome> PromoteCoreAsync(PromoteRequest request, CancellationToken ct)
    {
        var move = await registry.MoveAliasIfAsync(request.Model, ModelAliases.Champion, request.Version, request.ExpectedChampion, $"gate passed in run {request.RunId}", ct).ConfigureAwait(false);
        if (!move.Moved)
        {
            var detail = $"not promoted: the champion changed from {Describe(request.ExpectedChampion)} to {Describe(move.Current)} after this run's gate compared against {Describe(request.ExpectedChampion)}; v{request.Version} stays registered";
            logger.LogWarning("{Model} v{Version} {Detail}", request.Model, request.Version, detail);
            return new PromoteOutcome(false, move.Current, detail);
        }

        PlatformTelemetry.Runs.Add(1, new("model", request.Model), new("outcome", RunOutcomes.Promoted));
        logger.LogInformation("Promoted {Model} v{Version} to champion", request.Model, request.Version);
        return new PromoteOutcome(true, request.Version, $"champion → {request.Version}");

        static string Describe(int? version) => version is { } v ? $"v{v}" : "none";
    }

    /// <summary>A span and a duration measurement per step, tagged with run, model and outcome.</summary>
    private static async Task<T> Traced<T>(string step, string runId, string model, Func<Task<T>> body, Func<T, string>? outcome = null)
    {
        using var span = PlatformTelemetry.StartStep(step, runId, model);
        var started = Stopwatch.GetTimestamp();
        var result = "error";
        try
        {
            var value = await body().ConfigureAwait(false);
            result = outcome?.Invoke(value) ?? "ok";
            return value;
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            span?.SetTag("outcome", result);
            PlatformTelemetry.StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new("step", step), new("model", model), new("outcome", result));
        }
    }

    public static string SpecHash(ModelSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec, PlatformJson.Options)));

    private static IReadOnlyDictionary<string, double> Score(ModelSpec spec, OnnxModel model, TabularDataset holdout) =>
        ModelEvaluator.Evaluate(spec.Task, holdout[spec.Label], model.Predict(holdout), model.ClassLabels);

    private async Task<(ModelSpec? Spec, IReadOnlyList<string> Problems)> LoadSpecAsync(string model, CancellationToken ct) =>
        await StoredModelSpec.TryLoadAsync(storage, model, ct).ConfigureAwait(false) is { } parsed
            ? (parsed.Spec, parsed.Problems.Select(p => $"{p.Path}: {p.Message}").ToList())
            : (null, []);

    private async Task WriteSnapshotAsync(PipelineInput input, ModelSpec spec, TabularDataset data, ValidationReport report, CancellationToken ct)
    {
        using var parquet = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, parquet, ct).ConfigureAwait(false);
        await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(input.Model, input.DatasetSha256)).UploadAsync(new BinaryData(parquet.ToArray()), overwrite: true, ct).ConfigureAwait(false);
        var manifest = new DatasetManifest(input.Model, input.DatasetSha256, data.RowCount, DatasetManifest.DescribeSchema(data, spec.Label), input.SourceName, input.ReceivedAt, report.InvalidRows, SpecHash(spec));
        await BlobJson.UploadAsync(storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(input.Model, input.DatasetSha256)), manifest, ct).ConfigureAwait(false);
    }

    private async Task<IngestOutcome> UseExistingVersionAsync(PipelineInput input, CancellationToken ct)
    {
        var manifest = await BlobJson.TryDownloadAsync<DatasetManifest>(storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(input.Model, input.DatasetSha256)), ct).ConfigureAwait(false)
            ?? throw new ArgumentException($"Model '{input.Model}' has no dataset version {input.DatasetSha256}.");
        var (spec, problems) = await LoadSpecAsync(input.Model, ct).ConfigureAwait(false);
        if (spec is null)
        {
            throw new ArgumentException(problems.Count == 0 ? $"Model '{input.Model}' has no spec." : "The model spec is invalid: " + string.Join("; ", problems));
        }

        var missing = spec.Features.Select(f => f.Name).Append(spec.Label).Where(n => manifest.Schema.All(c => c.Name != n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Dataset version {input.DatasetSha256} lacks columns the current spec needs: {string.Join(", ", missing)}.");
        }

        await artifacts.WriteSpecAsync(input.Model, input.RunId, spec, ct).ConfigureAwait(false);
        return new IngestOutcome(true, "existing-version", manifest.Rows, 0, $"{BlobLayout.DatasetsContainer}/{BlobLayout.DatasetManifest(input.Model, input.DatasetSha256)}", null);
    }

    private async Task<IngestOutcome?> ArchivedOutcomeAsync(PipelineInput input, CancellationToken ct)
    {
        // This run's own record (its spec and snapshot were written before it).
        if (await BlobJson.TryDownloadAsync<IngestOutcome>(storage.Runs.GetBlobClient(IngestOutcome.BlobName(input.Model, input.RunId)), ct).ConfigureAwait(false) is { } recorded)
        {
            return recorded;
        }

        var prefix = BlobLayout.ProcessedPrefix(input.Model, input.DatasetSha256);
        foreach (var (container, accepted) in new[] { (storage.Processed, true), (storage.Quarantine, false) })
        {
            if (await BlobJson.TryDownloadAsync<ValidationReport>(container.GetBlobClient(prefix + BlobLayout.ReportName), ct).ConfigureAwait(false) is { } report)
            {
                if (accepted)
                {
                    var spec = (await LoadSpecAsync(input.Model, ct).ConfigureAwait(false)).Spec!;
                    await artifacts.WriteSpecAsync(input.Model, input.RunId, spec, ct).ConfigureAwait(false);
                }

                return new IngestOutcome(accepted, report.Verdict, report.ValidRows, report.InvalidRows, $"{container.Name}/{prefix}{BlobLayout.ReportName}", accepted ? null : Summarize(report));
            }
        }

        return null;
    }

    private static string Summarize(ValidationReport report)
    {
        if (report.FileProblems.Count > 0)
        {
            return string.Join("; ", report.FileProblems.Select(p => $"{p.Rule}: {p.Message}"));
        }

        return $"{report.InvalidRows} of {report.TotalRows} rows invalid ({report.InvalidFraction:P1} > {report.MaxInvalidRowFraction:P1}): "
            + string.Join(", ", report.ProblemCountsByRule.Select(kv => $"{kv.Key} ×{kv.Value}"));
    }

}
