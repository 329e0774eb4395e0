using Microsoft.Extensions.Logging;
using Serverless.Core.Storage;
using Serverless.Core.Runs;
using Serverless.Core.Specs.Routing;
using Serverless.Core.Training.Mlp;

namespace Serverless.Core.Training.Sweeps;

/// <summary>
/// Runs one trial of a run's sweep in this process (a pipeline activity, or the trainer job for a run placed there): the
/// score stored for it if it already ran (a retry, a redelivered queue message, or a trial the orchestration dispatched
/// again after a crash), otherwise a fit on the cached training split, stored before it is returned. Also stores the
/// finished sweep for registration.
/// </summary>
public sealed class SweepTrials(RunArtifacts artifacts, SweepDataCache cache, ILogger<SweepTrials> logger)
{
    /// <summary>A trial in a pipeline activity (ML.NET trainers; an mlp would fit on plain C#).</summary>
    public Task<TrialScore> RunAsync(TrialRequest request, CancellationToken ct) => RunAsync(request, TrainingPlacement.Activity, null, ct);

    /// <param name="where">Recorded with the score: <see cref="TrainingPlacement.Activity"/> or <see cref="TrainingPlacement.Job"/>.</param>
    /// <param name="compute">mlp: a fresh compute per fit (the job's GPU when it has one).</param>
    public async Task<TrialScore> RunAsync(TrialRequest request, string where, Func<IMlpCompute>? compute, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var marker = artifacts.Runs.GetBlobClient(SweepBlobs.Trial(request.Model, request.RunId, request.Trial, request.Rung));
        if (await BlobJson.TryDownloadAsync<TrialScore>(marker, ct).ConfigureAwait(false) is { } done)
        {
            logger.LogInformation("Sweep trial {Trial} rung {Rung} of {Model} run {RunId} was already scored; returning the stored score.",
                request.Trial, request.Rung, request.Model, request.RunId);
            return done;
        }

        var evaluator = await cache.GetAsync(request.DatasetSha256, request.Spec, async () =>
        {
            var data = await artifacts.ReadDatasetAsync(request.Model, request.DatasetSha256, ct).ConfigureAwait(false);
            return TrialEvaluator.Create(request.Spec, data, compute);
        }).ConfigureAwait(false);

        var score = await Task.Run(() => evaluator.Evaluate(request.Trial, request.Rung, request.Parameters, ct), ct).ConfigureAwait(false) with { Where = where };
        await BlobJson.UploadAsync(marker, score, ct).ConfigureAwait(false);
        logger.LogInformation("Sweep trial {Trial} rung {Rung} of {Model} run {RunId} ({Where}, {Device}): {Metric} in {Seconds:F2} s",
            request.Trial, request.Rung, request.Model, request.RunId, where, score.Device, score.Metric, score.Seconds);
        return score;
    }

    public Task RecordAsync(SweepRecordRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BlobJson.UploadAsync(artifacts.Runs.GetBlobClient(SweepBlobs.Result(request.Model, request.RunId)), request.Result, ct);
    }

    /// <summary>The run's sweep, or null when it had none.</summary>
    public static Task<SweepResult?> ReadAsync(PlatformStorage storage, string model, string runId, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<SweepResult>(storage.Runs.GetBlobClient(SweepBlobs.Result(model, runId)), ct);
}
