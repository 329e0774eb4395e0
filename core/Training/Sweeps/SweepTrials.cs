using Microsoft.Extensions.Logging;
using Serverless.Core.Storage;
using Serverless.Core.Runs;

namespace Serverless.Core.Training.Sweeps;

/// <summary>
/// Runs one trial of a run's sweep in this process: the score stored for it if it already ran (a retry, or a trial the
/// orchestration dispatched again after a crash), otherwise a fit on the cached training split, stored before it is
/// returned. Also stores the finished sweep for registration.
/// </summary>
public sealed class SweepTrials(PlatformStorage storage, RunArtifacts artifacts, SweepDataCache cache, ILogger<SweepTrials> logger)
{
    public async Task<TrialScore> RunAsync(TrialRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var marker = storage.Runs.GetBlobClient(SweepBlobs.Trial(request.Model, request.RunId, request.Trial, request.Rung));
        if (await BlobJson.TryDownloadAsync<TrialScore>(marker, ct).ConfigureAwait(false) is { } done)
        {
            return done;
        }

        var evaluator = await cache.GetAsync(request.DatasetSha256, request.Spec, async () =>
        {
            var data = await artifacts.ReadDatasetAsync(request.Model, request.DatasetSha256, ct).ConfigureAwait(false);
            return TrialEvaluator.Create(request.Spec, data);
        }).ConfigureAwait(false);

        var score = await Task.Run(() => evaluator.Evaluate(request.Trial, request.Rung, request.Parameters, ct), ct).ConfigureAwait(false);
        await BlobJson.UploadAsync(marker, score, ct).ConfigureAwait(false);
        logger.LogInformation("Sweep trial {Trial} rung {Rung} of {Model} run {RunId}: {Metric} in {Seconds:F2} s",
            request.Trial, request.Rung, request.Model, request.RunId, score.Metric, score.Seconds);
        return score;
    }

    public Task RecordAsync(SweepRecordRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BlobJson.UploadAsync(storage.Runs.GetBlobClient(SweepBlobs.Result(request.Model, request.RunId)), request.Result, ct);
    }

    /// <summary>The run's sweep, or null when it had none.</summary>
    public static Task<SweepResult?> ReadAsync(PlatformStorage storage, string model, string runId, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<SweepResult>(storage.Runs.GetBlobClient(SweepBlobs.Result(model, runId)), ct);
}
