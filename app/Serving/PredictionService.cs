using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Options;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Telemetry;

namespace Serverless.App.Serving;

/// <summary>
/// One prediction request from JSON to response: row checks, the champion, parsing against its inputs, scoring (with
/// dynamic batching where enabled), sampling into the prediction log, and the request's telemetry.
/// </summary>
public sealed class PredictionService(ModelServer server, BatchingScorer scorer, PredictionLog log, IOptions<ScoringOptions> options, TimeProvider time)
{
    public ScoringOptions Options { get; } = options.Value;

    /// <param name="body">The request body, already within <see cref="ScoringOptions.MaxBodyBytes"/>.</param>
    /// <param name="requestId">Logged with the sampled rows, to find the request again.</param>
    public async Task<Outcome<PredictResponse>> PredictAsync(string model, byte[] body, string requestId, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();

        // The body's shape is checked before the model is looked up; its rows are read once the inputs are known.
        var located = PredictionRequestParser.Locate(body);
        if (located.MalformedJson is { } malformed)
        {
            return Malformed(malformed);
        }

        if (located.Error is { } shape)
        {
            return new Outcome<PredictResponse>.Invalid("Invalid request.", [shape]);
        }

        LoadedModel? champion;
        try
        {
            champion = await server.GetChampionAsync(model, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            return new Outcome<PredictResponse>.Unavailable($"Model '{model}' is not loaded and storage is unreachable.");
        }
        catch (ModelIntegrityException e)
        {
            return new Outcome<PredictResponse>.Unavailable($"Model '{model}' v{e.Version} failed its integrity check (model.onnx does not match its card) and is not served.");
        }

        if (champion is null)
        {
            return new Outcome<PredictResponse>.NotFound($"Model '{model}' has no champion (unknown model, or no version promoted yet).");
        }

        return await ScoreAsync(model, champion, body, located, requestId, started, ct).ConfigureAwait(false);
    }

    private async Task<Outcome<PredictResponse>> ScoreAsync(string model, LoadedModel champion, byte[] body, RowsLocation located, string requestId, long started, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var parsed = PredictionRequestParser.Parse(body, located, champion.RequestSchema, Options.MaxRows, errors);
        if (parsed.MalformedJson is { } malformed)
        {
            return Malformed(malformed);
        }

        if (parsed.RowCount == 0)
        {
            return new Outcome<PredictResponse>.Invalid("Invalid request.", [new FieldError(-1, "rows", "At least one row is required.")]);
        }

        if (parsed.RowCount > Options.MaxRows)
        {
            return new Outcome<PredictResponse>.TooLarge($"{parsed.RowCount} rows exceed the limit of {Options.MaxRows} per request.");
        }

        var tags = new TagList { { "model", model }, { "version", champion.Card.Version }, { "provider", ModelServer.ProviderTag(champion.Onnx.Provider) } };
        if (parsed.Table is not { } table)
        {
            PlatformTelemetry.RequestErrors.Add(errors.Count, tags);
            return new Outcome<PredictResponse>.Invalid($"{errors.Count} field error(s) against {model} v{champion.Card.Version}'s inputs.", errors);
        }

        var response = await scorer.PredictAsync(champion, table, ct).ConfigureAwait(false);
        var monitoring = server.MonitoringFor(model);
        if (monitoring.SampleRate >= 1 || Random.Shared.NextDouble() < monitoring.SampleRate)
        {
            // Hashed and omitted features (spec features[].log) never reach the log or the labeling queue in clear.
            var logged = FeatureLogPrivacy.Apply(table, server.LoggedFeaturesFor(champion));
            log.Offer(new PredictionLogEntry(model, response.Version, champion.Card.Task, requestId, time.GetUtcNow(), logged, response.Predictions, monitoring.LabelingConfidenceThreshold));
        }

        PlatformTelemetry.Predictions.Add(response.Predictions.Count, tags);
        PlatformTelemetry.PredictDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
        return response;
    }

    private static Outcome<PredictResponse>.Invalid Malformed(string message) => new("Malformed JSON.", [new FieldError(-1, "", message)]);
}
