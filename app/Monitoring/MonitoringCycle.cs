using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using NCrontab;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Monitoring;
using Serverless.Core.Monitoring.Feedback;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;
using Serverless.Core.Runs;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.App.Monitoring;

/// <summary>
/// The closed loop's watchman. For each model whose drift schedule is due (or on demand): compares the champion's
/// recent logged inputs and outputs with its training reference, checks live quality against the spec's floor,
/// raises alerts (metric + structured log event), and, unless disabled, starts one retraining run per cooldown on
/// the champion's dataset merged with labeled production rows.
/// </summary>
public sealed class MonitoringCycle(
    PlatformStorage storage,
    ModelSpecStore specs,
    DriftReportHistory reports,
    ModelRegistry registry,
    PredictionLogReader reader,
    FeedbackService feedback,
    LiveQualityCalculator live,
    TimeProvider time,
    ILogger<MonitoringCycle> logger)
{
    /// <summary>Labels needed in a window before its live metric can raise a quality alert.</summary>
    public const int MinLabelsForQuality = 30;

    private static readonly CrontabSchedule.ParseOptions ScheduleFormat = new() { IncludingSeconds = true };

    /// <summary>When a model's own schedule cannot be read, its failure is reported on the default (hourly) one.</summary>
    private static readonly CrontabSchedule DefaultSchedule = CrontabSchedule.Parse(new MonitoringSpec().DriftSchedule, ScheduleFormat);

    /// <summary>
    /// Checks every model whose NCRONTAB schedule has fired since its last check. Models are isolated: a spec that
    /// cannot be read or used (specs written straight to storage skip the API's validation) or a check that throws
    /// is logged, counted and returned as a <see cref="MonitoringActions.Failed"/> result for that model alone, and
    /// recorded in its state (retried at its next scheduled time), while the other models are checked as usual.
    /// </summary>
    public async Task<IReadOnlyList<MonitoringCheckResult>> RunDueAsync(IRunLauncher pipeline, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var results = new List<MonitoringCheckResult>();
        foreach (var model in await registry.ListModelsAsync(ct).ConfigureAwait(false))
        {
            try
            {
                if (await CheckIfDueAsync(model, pipeline, now, ct).ConfigureAwait(false) is { } result)
                {
                    results.Add(result);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                results.Add(await FailedAsync(model, now, $"The check failed: {e.GetType().Name}: {e.Message}", e, ct).ConfigureAwait(false));
            }
        }

        return results;
    }

    private async Task<MonitoringCheckResult?> CheckIfDueAsync(string model, IRunLauncher pipeline, DateTimeOffset now, CancellationToken ct)
    {
        ModelSpec? spec;
        string? problem = null;
        try
        {
            spec = await LoadSpecAsync(model, ct).ConfigureAwait(false);
            if (spec is null)
            {
                return null;
            }
        }
        catch (InvalidModelSpecException e)
        {
            (spec, problem) = (null, e.Message);
        }

        var text = spec?.Monitoring?.DriftSchedule;
        var schedule = text is null ? null : CrontabSchedule.TryParse(text, ScheduleFormat);
        problem ??= spec is null ? null : (schedule is null
            ? $"monitoring.driftSchedule '{text}' is not an NCRONTAB expression with six fields (seconds first), e.g. '0 0 * * * *'."
            : null);

        var (state, _) = await ReadStateAsync(model, ct).ConfigureAwait(false);
        var since = (state.LastCheckAt ?? now.AddDays(-1)).UtcDateTime;
        if ((schedule ?? DefaultSchedule).GetNextOccurrence(since) > now.UtcDateTime)
        {
            return null;
        }

        return problem is null
            ? await CheckAsync(model, pipeline, ct).ConfigureAwait(false)
            : await FailedAsync(model, now, problem, null, ct).ConfigureAwait(false);
    }

    public async Task<MonitoringCheckResult> CheckAsync(string model, IRunLauncher pipeline, CancellationToken ct)
    {
        using var span = PlatformTelemetry.Source.StartActivity("monitoring.check");
        span?.SetTag("model", model);
        var now = time.GetUtcNow();
        ModelSpec? spec;
        try
        {
            spec = await LoadSpecAsync(model, ct).ConfigureAwait(false);
        }
        catch (InvalidModelSpecException e)
        {
            return await FailedAsync(model, now, e.Message, null, ct).ConfigureAwait(false);
        }

        var champion = (await registry.GetAliasesAsync(model, ct).ConfigureAwait(false)).Get(ModelAliases.Champion);
        if (spec is null || champion is not { } version)
        {
            return new MonitoringCheckResult(model, null, null, null, MonitoringActions.Skipped, null, "The model has no spec or no champion.");
        }

        var reference = await BlobJson.TryDownloadAsync<ReferenceProfile>(storage.Registry.GetBlobClient(BlobLayout.RegistryReference(model, version)), ct).ConfigureAwait(false);
        DriftReport? drift = null;
        if (reference is not null)
        {
            drift = await DriftAsync(model, version, spec, reference, now, ct).ConfigureAwait(false);
            await reports.SaveAsync(drift, ct).ConfigureAwait(false);
            foreach (var f in drift.Features.Append(drift.Prediction).OfType<FeatureDrift>().Where(f => double.IsFinite(f.Statistic)))
            {
                PlatformTelemetry.DriftScore.Record(f.Statistic, new("model", model), new("version", version), new("feature", f.Name), new("method", f.Method));
            }
        }

        // Live quality on every check, so its gauges follow the schedule whether or not anyone reads the view.
        var liveQuality = await LiveQualityAsync(model, spec, ct).ConfigureAwait(false);
        var quality = QualityBreach(version, spec, liveQuality);
        var drifted = drift?.DatasetDrift == true;
        await UpdateStateAsync(model, s => s with { LastCheckAt = now, LastStatus = drift?.Status ?? MonitoringState.NoReference, LastError = null }, ct).ConfigureAwait(false);
        if (!drifted && quality is null)
        {
            return new MonitoringCheckResult(model, version, drift, null, MonitoringActions.None, null,
                reference is null ? "No reference profile for this version (trained before monitoring existed); drift not checked." : $"Drift status: {drift!.Status}.");
        }

        var reason = drifted
            ? $"data drift in {string.Join(", ", drift!.Features.Where(f => f.Drifted).Select(f => f.Name))} ({drift.DriftedShare:P0} of features)"
            : $"live {quality!.Metric} {quality.Value:F4} past floor {quality.Floor:F4} over {quality.Window}";
        PlatformTelemetry.Alerts.Add(1, new("model", model), new("kind", drifted ? "drift" : "quality"));
        logger.LogWarning("MonitoringAlert {Model} v{Version}: {Reason}", model, version, reason);

        if (!spec.Monitoring.RetrainOnDrift)
        {
            return new MonitoringCheckResult(model, version, drift, quality, MonitoringActions.Alerted, null, reason + "; retraining is disabled in the spec.");
        }

        return await RetrainAsync(model, version, spec, reason, pipeline, drift, quality, ct).ConfigureAwait(false);
    }

    /// <summary><see cref="ViewAsync"/>, with an unknown model and an invalid stored spec as outcomes.</summary>
    public async Task<Outcome<MonitoringView>> TryViewAsync(string model, CancellationToken ct)
    {
        try
        {
            return await ViewAsync(model, ct).ConfigureAwait(false);
        }
        catch (KeyNotFoundException e)
        {
            return new Outcome<MonitoringView>.NotFound(e.Message);
        }
        catch (InvalidModelSpecException e)
        {
            return Outcome<MonitoringView>.StoredSpecInvalid(e);
        }
    }

    public async Task<MonitoringView> ViewAsync(string model, CancellationToken ct)
    {
        var spec = await LoadSpecAsync(model, ct).ConfigureAwait(false) ?? throw new KeyNotFoundException($"Model '{model}' does not exist.");
        var champion = (await registry.GetAliasesAsync(model, ct).ConfigureAwait(false)).Get(ModelAliases.Champion);
        var quality = await LiveQualityAsync(model, spec, ct).ConfigureAwait(false);
        var drift = await reports.LatestAsync(model, ct).ConfigureAwait(false);
        return new MonitoringView(model, champion, quality, drift, (await ReadStateAsync(model, ct).ConfigureAwait(false)).State);
    }

    private async Task<DriftReport> DriftAsync(string model, int version, ModelSpec spec, ReferenceProfile reference, DateTimeOffset now, CancellationToken ct)
    {
        var from = now - spec.Monitoring.Drift.Window;
        // Hashed or omitted features (spec features[].log) are not in the log as values: drift covers the raw ones.
        var unlogged = spec.Features.Where(f => f.Log != FeatureLogMode.Raw).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        if (unlogged.Count > 0)
        {
            reference = reference with { Features = reference.Features.Where(f => !unlogged.Contains(f.Name)).ToList() };
        }

        var window = new DriftWindow(reference);
        foreach (var batch in await reader.ReadAsync(model, from, now, version, ct).ConfigureAwait(false))
        {
            var rows = Enumerable.Range(0, batch.Table.RowCount).Where(r => PredictionLogReader.TimestampOf(batch, r) >= from).ToList();
            if (rows.Count == 0)
            {
                continue;
            }

            var table = rows.Count == batch.Table.RowCount ? batch.Table : batch.Table.Select(rows);
            // The prediction column as profiled at training: P(true) or the score, or the predicted class.
            var predictions = spec.Task == ModelTask.Multiclass
                ? DataColumn.Text(ReferenceProfile.PredictionName, table[LoggedColumns.Label].TextValues)
                : DataColumn.Float(ReferenceProfile.PredictionName, table[LoggedColumns.Score].FloatValues);
            window.Add(table, predictions);
        }

        return DriftDetector.Evaluate(reference, window, spec.Monitoring.Drift, now, model, version);
    }

    /// <summary>Live quality per version and window, recorded as the <c>serverless.live.quality</c> gauges.</summary>
    private async Task<IReadOnlyList<LiveQuality>> LiveQualityAsync(string model, ModelSpec spec, CancellationToken ct)
    {
        var quality = await live.ComputeAsync(model, spec, ct).ConfigureAwait(false);
        foreach (var q in quality)
        {
            foreach (var (metric, value) in q.Metrics)
            {
                PlatformTelemetry.LiveQuality.Record(value, new("model", model), new("version", q.Version), new("metric", metric), new("window", q.Window.ToString()));
            }
        }

        return quality;
    }

    private static QualityBreach? QualityBreach(int version, ModelSpec spec, IReadOnlyList<LiveQuality> quality)
    {
        if (spec.Monitoring.QualityMetric is not { } metric || spec.Monitoring.QualityFloor is not { } floor)
        {
            return null;
        }

        var shortest = quality.Where(q => q.Version == version && q.Labeled >= MinLabelsForQuality && q.Metrics.ContainsKey(metric)).MinBy(q => q.Window);
        if (shortest is null)
        {
            return null;
        }

        var value = shortest.Metrics[metric];
        var breached = MetricNames.HigherIsBetter(metric) ? value < floor : value > floor;
        return breached ? new QualityBreach(metric, value, floor, shortest.Window, shortest.Labeled) : null;
    }

    private async Task<MonitoringCheckResult> RetrainAsync(
        string model, int version, ModelSpec spec, string reason, IRunLauncher pipeline, DriftReport? drift, QualityBreach? quality, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (state, etag) = await ReadStateAsync(model, ct).ConfigureAwait(false);
        if (state.LastRetrainAt is { } last && now - last < spec.Monitoring.RetrainCooldown)
        {
            return new MonitoringCheckResult(model, version, drift, quality, MonitoringActions.Debounced, state.LastRetrainRunId,
                $"{reason}; retraining {state.LastRetrainRunId} started {last:u}, within the {spec.Monitoring.RetrainCooldown} cooldown.");
        }

        // Claim the retrain with the state's ETag first: of two concurrent checks only one starts a run.
        var claimed = state with { LastRetrainAt = now, LastRetrainRunId = null };
        if (!await BlobJson.TryReplaceAsync(StateBlob(model), claimed, etag, ct).ConfigureAwait(false))
        {
            return new MonitoringCheckResult(model, version, drift, quality, MonitoringActions.Debounced, null, reason + "; another check is starting the retraining.");
        }

        var card = await registry.GetCardAsync(model, version, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Champion v{version} of '{model}' has no card.");
        var sha = await BuildFeedbackDatasetAsync(model, spec, card.DatasetSha256, reason, now, ct).ConfigureAwait(false);
        var runId = await pipeline.StartOnDatasetVersionAsync(model, sha, "monitoring: " + reason, RunTriggers.Monitoring, null, ct).ConfigureAwait(false);
        await UpdateStateAsync(model, s => s with { LastRetrainRunId = runId }, ct).ConfigureAwait(false);
        logger.LogWarning("MonitoringRetrain {Model}: run {RunId} on dataset {Dataset} ({Reason})", model, runId, sha, reason);
        return new MonitoringCheckResult(model, version, drift, quality, MonitoringActions.RetrainingStarted, runId, reason);
    }

    /// <summary>The champion's dataset plus labeled production rows, saved as a new version with lineage to both.</summary>
    private async Task<string> BuildFeedbackDatasetAsync(string model, ModelSpec spec, string parentSha, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var parent = await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, parentSha)).DownloadContentAsync(ct).ConfigureAwait(false);
        var snapshot = await DatasetSnapshot.ReadParquetAsync(parent.Value.Content.ToStream(), ct).ConfigureAwait(false);
        var from = now - spec.Monitoring.FeedbackWindow;
        var labels = await feedback.LabelsAsync(model, from, now, ct).ConfigureAwait(false);
        var logged = labels.Count == 0 ? [] : await reader.ReadAsync(model, from, now, null, ct).ConfigureAwait(false);
        var (merged, feedbackRows) = LabeledDatasetBuilder.Build(spec, snapshot, logged, labels);
        if (feedbackRows == 0)
        {
            return parentSha;
        }

        var bytes = await DatasetVersions.ToParquetAsync(merged, ct).ConfigureAwait(false);
        var sha = ContentHash.Sha256Hex(new MemoryStream(bytes, writable: false));
        var manifest = new DatasetManifest(model, sha, merged.RowCount, DatasetManifest.DescribeSchema(merged, spec.Label), $"feedback merge of {parentSha}", now, 0,
            ModelSpecStore.Hash(spec), new DatasetLineage(parentSha, feedbackRows, from, now, reason));
        await DatasetVersions.WriteAsync(storage, manifest, bytes, ct).ConfigureAwait(false);
        return sha;
    }

    /// <summary>Reports a model whose check could not run: log event, counter, state (so the view shows it) and result.</summary>
    private async Task<MonitoringCheckResult> FailedAsync(string model, DateTimeOffset now, string detail, Exception? error, CancellationToken ct)
    {
        logger.LogError(error, "MonitoringCheckFailed {Model}: {Detail}", model, detail);
        PlatformTelemetry.MonitoringFailures.Add(1, new KeyValuePair<string, object?>("model", model));
        try
        {
            await UpdateStateAsync(model, s => s with { LastCheckAt = now, LastStatus = MonitoringActions.Failed, LastError = detail }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not record the failed check of {Model} in its monitoring state", model);
        }

        return new MonitoringCheckResult(model, null, null, null, MonitoringActions.Failed, null, detail);
    }

    /// <summary>The model's spec; null without one; <see cref="InvalidModelSpecException"/> when it does not validate.</summary>
    private Task<ModelSpec?> LoadSpecAsync(string model, CancellationToken ct) => specs.LoadValidAsync(model, ct);

    private Task<(MonitoringState State, ETag? ETag)> ReadStateAsync(string model, CancellationToken ct) =>
        BlobJson.ReadForUpdateAsync(StateBlob(model), new MonitoringState(), ct);

    private BlobClient StateBlob(string model) => storage.Monitoring.GetBlobClient(BlobLayout.MonitoringState(model));

    private async Task UpdateStateAsync(string model, Func<MonitoringState, MonitoringState> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var (state, etag) = await ReadStateAsync(model, ct).ConfigureAwait(false);
            if (await BlobJson.TryReplaceAsync(StateBlob(model), change(state), etag, ct).ConfigureAwait(false))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Monitoring state of '{model}' kept changing.");
    }
}
