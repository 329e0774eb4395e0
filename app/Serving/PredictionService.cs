using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Options;
using Serverless.App.Features;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Telemetry;

namespace Serverless.App.Serving;

/// <summary>
/// One prediction request from JSON to response: row checks, the champion, parsing against its inputs, scoring (with
/// dynamic batching where enabled), sampling into the prediction log, and the request's telemetry.
/// </summary>
public sealed class PredictionService(ModelServer server, BatchingScorer scorer, PredictionLog log, IOptions<ScoringOptions> options, TimeProvider time, OnlineFeatureAssembler? features = null)
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

        Outcome<PredictResponse>? unservable = null;
        LoadedModel? champion = null;
        try
        {
            champion = await server.GetChampionAsync(model, ct).ConfigureAwait(false);
            if (champion is null)
            {
                unservable = new Outcome<PredictResponse>.NotFound($"Model '{model}' has no champion (unknown model, or no version promoted yet).");
            }
        }
        catch (RequestFailedException)
        {
            unservable = new Outcome<PredictResponse>.Unavailable($"Model '{model}' is not loaded and storage is unreachable.");
        }
        catch (ModelIntegrityException e)
        {
            unservable = new Outcome<PredictResponse>.Unavailable($"Model '{model}' v{e.Version} failed its integrity check (model.onnx does not match its card) and is not served.");
        }

        if (unservable is not null)
        {
            // A bad body is the caller's first problem, as it was when the whole body was parsed before the lookup.
            return BodyProblem(PredictionRequestParser.CountRows(body, located)) ?? unservable;
        }

        if (champion!.Card.FeatureViews is { Count: > 0 } views && features is not null)
        {
            // Rows may send entity keys instead of the views' features: fetch them, then parse as usual.
            var (assembled, missingKeys) = await features.AssembleAsync(views, champion.Card.Inputs, body, ct).ConfigureAwait(false);
            if (assembled is null) return new Outcome<PredictResponse>.Invalid($"{missingKeys.Count} field error(s): rows need entity keys or the feature views' values.", missingKeys);
            (body, located) = (assembled, PredictionRequestParser.Locate(assembled));
        }

        return await ScoreAsync(model, champion, body, located, requestId, started, ct).ConfigureAwait(false);
    }

    private async Task<Outcome<PredictResponse>> ScoreAsync(string model, LoadedModel champion, byte[] body, RowsLocation located, string requestId, long started, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var parsed = PredictionRequestParser.Parse(body, located, champion.RequestSchema, Options.MaxRows, errors);
        if (BodyProblem(parsed) is { } problem)
        {
            return problem;
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

    /// <summary>Malformed JSON, no rows or too many: the body's own problems, in the order they were always reported.</summary>
    private Outcome<PredictResponse>? BodyProblem(ParsedRows parsed) =>
        parsed.MalformedJson is { } malformed ? Malformed(malformed)
        : parsed.RowCount == 0 ? new Outcome<PredictResponse>.Invalid("Invalid request.", [new FieldError(-1, "rows", "At least one row is required.")])
        : parsed.RowCount > Options.MaxRows ? new Outcome<PredictResponse>.TooLarge($"{parsed.RowCount} rows exceed the limit of {Options.MaxRows} per request.")
        : null;

    private static Outcome<PredictResponse>.Invalid Malformed(string message) => new("Malformed JSON.", [new FieldError(-1, "", message)]);
}
