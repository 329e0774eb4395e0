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
public sealed class PredictionService(ModelServer server, BatchingScorer scorer, PredictionLog log, IOptions<ScoringOptions> options, TimeProvider time, TrafficStats traffic, ShadowScoring shadows, OnlineFeatureAssembler? features = null)
{
    public ScoringOptions Options { get; } = options.Value;

    /// <inheritdoc cref="PredictAsync(string, byte[], string, string?, CancellationToken)"/>
    public Task<Outcome<PredictResponse>> PredictAsync(string model, byte[] body, string requestId, CancellationToken ct) =>
        PredictAsync(model, body, requestId, routingKey: null, ct);

    /// <param name="body">The request body, already within <see cref="ScoringOptions.MaxBodyBytes"/>.</param>
    /// <param name="requestId">Logged with the sampled rows, to find the request again.</param>
    /// <param name="routingKey">The <c>x-routing-key</c> header: during a release, the same key gets the same version.</param>
    public async Task<Outcome<PredictResponse>> PredictAsync(string model, byte[] body, string requestId, string? routingKey, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();

        // The body's shape is checked before the model is looked up; its rows are read once the inputs are known.
        var located = PredictionRequestParser.Locate(body);
        if (ShapeProblem(located) is { } shape)
        {
            return shape;
        }

        Outcome<PredictResponse>? unservable = null;
        ServedRoute? route = null;
        try
        {
            // Keyed requests stick to one version; an unkeyed one is placed by its request id (no per-request randomness).
            var key = routingKey ?? (server.RoutingFieldFor(model) is { } field ? RoutingKeyField.FirstRow(body, located, field) : null) ?? requestId;
            route = await server.RouteAsync(model, key, ct).ConfigureAwait(false);
            if (route is null)
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

        if (route!.Live.Card.FeatureViews is { Count: > 0 } views && features is not null)
        {
            // Rows may send entity keys instead of the views' features: fetch them, then parse as usual.
            var (assembled, missingKeys) = await features.AssembleAsync(views, route.Live.Card.Inputs, body, ct).ConfigureAwait(false);
            if (assembled is null) return new Outcome<PredictResponse>.Invalid($"{missingKeys.Count} field error(s): rows need entity keys or the feature views' values.", missingKeys);
            (body, located) = (assembled, PredictionRequestParser.Locate(assembled));
        }

        var succeeded = false;
        try
        {
            var outcome = await ScoreAsync(model, route.Live, body, located, requestId, started, logged: true, ct).ConfigureAwait(false);
            succeeded = outcome is Outcome<PredictResponse>.Done;
            return outcome;
        }
        finally
        {
            traffic.Record(model, route!.Live.Card.Version, succeeded, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (route.Shadow is { } shadow)
            {
                shadows.Offer(model, shadow, body, located, requestId);
            }
        }
    }

    /// <summary>Scores with one named version (<c>POST …/versions/{v}/predict</c>, for testing a version): not logged, not counted as traffic.</summary>
    public async Task<Outcome<PredictResponse>> PredictVersionAsync(string model, int version, byte[] body, string requestId, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var located = PredictionRequestParser.Locate(body);
        if (ShapeProblem(located) is { } shape)
        {
            return shape;
        }

        LoadedModel loaded;
        try
        {
            loaded = await server.GetVersionAsync(model, version, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KeyNotFoundException or RequestFailedException { Status: 404 })
        {
            return BodyProblem(PredictionRequestParser.CountRows(body, located)) ?? new Outcome<PredictResponse>.NotFound($"Model '{model}' has no version {version}.");
        }
        catch (RequestFailedException)
        {
            return new Outcome<PredictResponse>.Unavailable($"Model '{model}' v{version} is not loaded and storage is unreachable.");
        }
        catch (ModelIntegrityException)
        {
            return new Outcome<PredictResponse>.Unavailable($"Model '{model}' v{version} failed its integrity check (model.onnx does not match its card) and is not served.");
        }

        return await ScoreAsync(model, loaded, body, located, requestId, started, logged: false, ct).ConfigureAwait(false);
    }

    private async Task<Outcome<PredictResponse>> ScoreAsync(string model, LoadedModel champion, byte[] body, RowsLocation located, string requestId, long started, bool logged, CancellationToken ct)
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
        if (logged && (monitoring.SampleRate >= 1 || Random.Shared.NextDouble() < monitoring.SampleRate))
        {
            // Hashed and omitted features (spec features[].log) never reach the log or the labeling queue in clear.
            var inputs = FeatureLogPrivacy.Apply(table, server.LoggedFeaturesFor(champion));
            log.Offer(new PredictionLogEntry(model, response.Version, champion.Card.Task, requestId, time.GetUtcNow(), inputs, response.Predictions, monitoring.LabelingConfidenceThreshold));
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

    /// <summary>Not JSON, or no <c>rows</c> array where one belongs: answered before any model is looked up.</summary>
    private static Outcome<PredictResponse>.Invalid? ShapeProblem(RowsLocation located) =>
        located.MalformedJson is { } malformed ? Malformed(malformed)
        : located.Error is { } shape ? new Outcome<PredictResponse>.Invalid("Invalid request.", [shape])
        : null;

    private static Outcome<PredictResponse>.Invalid Malformed(string message) => new("Malformed JSON.", [new FieldError(-1, "", message)]);
}
