using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;

namespace Serverless.App.Runs;

/// <summary>Listing, reading, canceling and repeating runs: the task hub's view joined with the run's files.</summary>
public sealed class RunHistory(PlatformStorage storage, IRunLauncher runs, TimeProvider time)
{
    /// <summary>What cancel means for a run on the trainer job, as the cancel response states it.</summary>
    public const string CancelDetail =
        "The run is terminated; a late trainer-job result is ignored (the result relay drops results of runs that are not running). " +
        "A trainer job already holding the request is not stopped: it finishes or hits the spec's trainer.timeout.";

    public Task<RunPage> ListAsync(RunQuery query, CancellationToken ct) => runs.ListRunsAsync(query, ct);

    /// <summary>The run with what its files hold so far (a file not yet written is left null), or null if there is no such run.</summary>
    public async Task<RunDetail?> GetAsync(string runId, CancellationToken ct)
    {
        if (await runs.GetRunAsync(runId, ct).ConfigureAwait(false) is not { } run) return null;
        if (run.Input is not { } input)
        {
            return new RunDetail(run.RunId, run.Status, run.CreatedAt, run.LastUpdatedAt, run.Progress, run.Result, run.Error, null, null, null, null, null, null, null, null, null);
        }

        var (model, sha) = (input.Model, input.DatasetSha256);
        var manifest = BlobJson.TryDownloadAsync<DatasetManifest>(storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(model, sha)), ct);
        var spec = BlobJson.TryDownloadAsync<ModelSpec>(storage.Runs.GetBlobClient(BlobLayout.RunSpec(model, runId)), ct);
        var training = BlobJson.TryDownloadAsync<TrainingRecord>(storage.Runs.GetBlobClient(BlobLayout.RunTraining(model, runId)), ct);
        var ingest = BlobJson.TryDownloadAsync<IngestOutcome>(storage.Runs.GetBlobClient(IngestOutcome.BlobName(model, runId)), ct);
        var gate = BlobJson.TryDownloadAsync<GateReport>(storage.Runs.GetBlobClient(BlobLayout.RunGateReport(model, runId)), ct);
        var canceled = BlobJson.TryDownloadAsync<RunCancelRecord>(storage.Runs.GetBlobClient(BlobLayout.RunCanceled(model, runId)), ct);
        await Task.WhenAll(manifest, spec, training, ingest, gate, canceled).ConfigureAwait(false);

        return new RunDetail(
            run.RunId, run.Status, run.CreatedAt, run.LastUpdatedAt, run.Progress, run.Result, run.Error, input,
            model,
            RunTriggers.Of(input),
            await manifest.ConfigureAwait(false),
            (await spec.ConfigureAwait(false))?.Trainer,
            await training.ConfigureAwait(false) is { } t ? RunTraining.From(t) : null,
            run.Result?.Ingest.Placement ?? (await ingest.ConfigureAwait(false))?.Placement,
            await gate.ConfigureAwait(false),
            await canceled.ConfigureAwait(false));
    }

    /// <summary>
    /// Terminates a pending or running run (404 unknown, 409 finished). Who canceled and when is recorded first
    /// (<see cref="BlobLayout.RunCanceled"/>), for the run's detail and for the trainer job to read.
    /// </summary>
    public async Task<Outcome<RunCancelAccepted>> CancelAsync(string runId, string by, CancellationToken ct)
    {
        if (await runs.GetRunAsync(runId, ct).ConfigureAwait(false) is not { } run) return NotFound(runId);
        if (run.Status is not ("Pending" or "Running" or "Suspended")) return NotActive(runId, run.Status);
        if (run.Input is { } input)
        {
            await BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunCanceled(input.Model, runId)), new RunCancelRecord(time.GetUtcNow(), by), ct).ConfigureAwait(false);
        }

        return await runs.CancelAsync(runId, $"canceled by {by}", ct).ConfigureAwait(false) switch
        {
            RunCancellation.Requested => new RunCancelAccepted(runId, StatusUrl(runId), CancelDetail),
            RunCancellation.Missing => NotFound(runId),
            _ => NotActive(runId, "finished"),
        };
    }

    /// <summary>A new run on the same dataset version under the model's current spec (trigger <see cref="RunTriggers.Rerun"/>).</summary>
    public async Task<Outcome<RunStarted>> RerunAsync(string runId, CancellationToken ct)
    {
        if (await runs.GetRunAsync(runId, ct).ConfigureAwait(false) is not { } run) return new Outcome<RunStarted>.NotFound($"Run '{runId}' does not exist.");
        if (run.Input is not { } input || !await storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(input.Model, input.DatasetSha256)).ExistsAsync(ct).ConfigureAwait(false))
        {
            return new Outcome<RunStarted>.Conflict(
                "No dataset version to rerun",
                $"Run '{runId}' has no dataset version to train on again: its data never passed ingest (quarantined or failed before the snapshot).");
        }

        var started = await runs.StartOnDatasetVersionAsync(input.Model, input.DatasetSha256, $"rerun of {runId}", RunTriggers.Rerun, runId, ct).ConfigureAwait(false);
        return new RunStarted(started, StatusUrl(started));
    }

    private static string StatusUrl(string runId) => $"/{ApiRoutes.Prefix}/runs/{runId}";

    private static Outcome<RunCancelAccepted> NotFound(string runId) => new Outcome<RunCancelAccepted>.NotFound($"Run '{runId}' does not exist.");

    private static Outcome<RunCancelAccepted> NotActive(string runId, string status) =>
        new Outcome<RunCancelAccepted>.Conflict("Run not active", $"Run '{runId}' is {(status == "Terminated" ? RunStatuses.Canceled : status.ToLowerInvariant())}; only a pending or running run can be canceled.");
}
