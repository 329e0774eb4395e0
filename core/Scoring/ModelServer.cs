using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Telemetry;

namespace Serverless.Core.Scoring;

/// <summary>
/// Serves champions: resolves the <c>champion</c> alias (re-read at most every
/// <see cref="ScoringOptions.ChampionRefreshInterval"/>), keeps one ONNX session per version and swaps the
/// served version atomically, so a promotion never fails an in-flight request. When storage is unreachable the
/// last known champion keeps serving. A version that stops being champion is unloaded after
/// <see cref="ScoringOptions.RetiredVersionGrace"/>.
/// </summary>
public sealed class ModelServer(ModelRegistry registry, PlatformStorage storage, TimeProvider time, IOptions<ScoringOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, ChampionEntry> _champions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, int Version), Lazy<Task<LoadedModel>>> _versions = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ExecutionProvider, bool> _loggedProviders = new();
    private readonly ConcurrentDictionary<string, ITimer> _sweeps = new(StringComparer.Ordinal);
    private readonly ILogger _logger = NullLogger.Instance;
    private readonly ModelSpecStore _specs = new(storage);

    /// <summary>The DI constructor: logs which execution provider serves (once per provider; a host has one server).</summary>
    public ModelServer(ModelRegistry registry, PlatformStorage storage, TimeProvider time, IOptions<ScoringOptions> options, ILogger<ModelServer> logger)
        : this(registry, storage, time, options) => _logger = logger;

    private sealed record ChampionEntry(int? Version, DateTimeOffset CheckedAt, MonitoringSpec Monitoring, IReadOnlyList<FeatureSpec>? Features = null, TrafficSplit? Split = null);

    public ScoringOptions Options => options.Value;

    /// <summary>The model's monitoring settings as of the last champion refresh (defaults before the first).</summary>
    public MonitoringSpec MonitoringFor(string model) => _champions.TryGetValue(model, out var e) ? e.Monitoring : DefaultMonitoring;

    private static readonly MonitoringSpec DefaultMonitoring = new();

    /// <summary>
    /// The features as the stored spec declares them at the last refresh, for their <see cref="FeatureSpec.Log"/> modes:
    /// a spec edited to hash or omit a feature takes effect without retraining. The card's inputs until a valid spec is read.
    /// </summary>
    public IReadOnlyList<FeatureSpec> LoggedFeaturesFor(LoadedModel champion) =>
        _champions.TryGetValue(champion.Card.Model, out var e) && e.Features is { } features ? features : champion.Card.Inputs;

    /// <summary>The current champion of <paramref name="model"/>, or null when it has none.</summary>
    public async Task<LoadedModel?> GetChampionAsync(string model, CancellationToken ct)
    {
        var gate = _refreshLocks.GetOrAdd(model, _ => new SemaphoreSlim(1, 1));
        if (_champions.TryGetValue(model, out var entry))
        {
            // Stale: refresh in the background and keep serving the current champion meanwhile, so no request
            // waits on storage (or on its retries while storage is down).
            if (time.GetUtcNow() - entry.CheckedAt >= options.Value.ChampionRefreshInterval && gate.Wait(0))
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await RefreshAsync(model, entry, CancellationToken.None).ConfigureAwait(false);
                    }
                    finally
                    {
                        gate.Release();
                    }
                });
            }

            return entry.Version is { } v ? await GetVersionAsync(model, v, ct).ConfigureAwait(false) : null;
        }

        // Nothing to serve yet: this request waits for the first read.
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            entry = _champions.TryGetValue(model, out var raced) ? raced : await RefreshAsync(model, null, ct).ConfigureAwait(false);
            return entry.Version is { } v ? await GetVersionAsync(model, v, ct).ConfigureAwait(false) : null;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<ChampionEntry> RefreshAsync(string model, ChampionEntry? previous, CancellationToken ct)
    {
        ChampionEntry next;
        try
        {
            var aliases = await registry.GetAliasesAsync(model, ct).ConfigureAwait(false);
            var version = aliases.Get(ModelAliases.Champion);
            // An invalid stored spec must not stop scoring: its monitoring settings fall back to the defaults.
            var stored = await _specs.TryLoadAsync(model, ct).ConfigureAwait(false);
            var spec = stored is { IsValid: true } ? stored.Spec : null;
            var split = TrafficSplit.From(aliases, spec?.Release.RoutingKey);
            if (version is { } fresh)
            {
                // Load before publishing, so the swap happens only once the new session is ready.
                await GetVersionAsync(model, fresh, ct).ConfigureAwait(false);
            }

            if (split is not null)
            {
                await GetVersionAsync(model, split.Version, ct).ConfigureAwait(false);
            }

            next = new ChampionEntry(version, time.GetUtcNow(), spec?.Monitoring ?? DefaultMonitoring, spec?.Features, split);
        }
        catch (Exception) when (previous is not null)
        {
            // Storage unreachable: keep serving the last known champion and try again after the interval.
            next = previous with { CheckedAt = time.GetUtcNow() };
        }

        _champions[model] = next;
        ScheduleSweep(model, next);
        return next;
    }

    /// <summary>Whether some model's champion has been resolved and loaded (what keeps serving while storage is down).</summary>
    public bool ServesAnyChampion => _champions.Values.Any(e => e.Version is not null);

    /// <summary>The versions of <paramref name="model"/> with an ONNX session in memory.</summary>
    public IReadOnlyList<int> LoadedVersions(string model) =>
        [.. _versions.Keys.Where(k => k.Model == model).Select(k => k.Version).Order()];

    // Other versions of the model are loaded (the previous champion, or one a request picked up around a swap):
    // unload them once the grace period has passed, unless one of them is champion again by then.
    private void ScheduleSweep(string model, ChampionEntry? entry)
    {
        if (_sweeps.ContainsKey(model) || !_versions.Keys.Any(k => k.Model == model && !Serves(entry, k.Version)))
        {
            return;
        }

        var timer = time.CreateTimer(static s => ((SweepState)s!).Server.Sweep(((SweepState)s).Model), new SweepState(this, model), options.Value.RetiredVersionGrace, Timeout.InfiniteTimeSpan);
        if (!_sweeps.TryAdd(model, timer))
        {
            timer.Dispose();
        }
    }

    private void Sweep(string model)
    {
        if (_sweeps.TryRemove(model, out var timer))
        {
            timer.Dispose();
        }

        // Right after an invalidation the champion is unknown: try again later rather than unload it.
        if (!_champions.TryGetValue(model, out var entry))
        {
            ScheduleSweep(model, null);
            return;
        }

        foreach (var (key, lazy) in _versions)
        {
            if (key.Model == model && !Serves(entry, key.Version) && _versions.TryRemove(new KeyValuePair<(string, int), Lazy<Task<LoadedModel>>>(key, lazy))
                && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Onnx.Dispose();
                _logger.LogInformation("Unloaded {Model} v{Version}: no longer champion", model, key.Version);
            }
        }
    }

    private sealed record SweepState(ModelServer Server, string Model);

    /// <summary>The champion and a release's candidate stay loaded.</summary>
    private static bool Serves(ChampionEntry? entry, int version) => entry is not null && (entry.Version == version || entry.Split?.Version == version);

    /// <summary>
    /// The version that answers a request with <paramref name="routingKey"/> (sticky: <see cref="TrafficRouting"/>),
    /// and the shadow that scores a copy of it, as the aliases stood at the last refresh; null when the model has no
    /// champion. A candidate's split propagates like a promotion: within <see cref="ScoringOptions.ChampionRefreshInterval"/>.
    /// </summary>
    public async Task<ServedRoute?> RouteAsync(string model, string routingKey, CancellationToken ct)
    {
        var champion = await GetChampionAsync(model, ct).ConfigureAwait(false);
        if (champion is null)
        {
            return null;
        }

        if (!_champions.TryGetValue(model, out var entry) || entry.Split is not { } split || split.Version == champion.Card.Version)
        {
            return new ServedRoute(champion, null);
        }

        var candidate = await GetVersionAsync(model, split.Version, ct).ConfigureAwait(false);
        return split.Shadow ? new ServedRoute(champion, candidate)
            : TrafficRouting.ToCandidate(routingKey, split.Percent) ? new ServedRoute(candidate, null)
            : new ServedRoute(champion, null);
    }

    /// <summary>The spec's routing field (<c>release.routingKey</c>) while a split is in effect; null otherwise.</summary>
    public string? RoutingFieldFor(string model) => _champions.TryGetValue(model, out var e) ? e.Split?.RoutingField : null;

    /// <summary>Forgets the cached alias so the next request re-reads it (used right after a promotion in this process).</summary>
    public void InvalidateChampion(string model) => _champions.TryRemove(model, out _);

    public async Task<LoadedModel> GetVersionAsync(string model, int version, CancellationToken ct)
    {
        var lazy = _versions.GetOrAdd((model, version), key => new Lazy<Task<LoadedModel>>(() => LoadAsync(key.Model, key.Version)));
        try
        {
            return await lazy.Value.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Don't cache a failed load (e.g. storage briefly down): the next request tries again.
            _versions.TryRemove(new KeyValuePair<(string, int), Lazy<Task<LoadedModel>>>((model, version), lazy));
            throw;
        }
    }

    /// <summary>Scores already-validated rows with one ORT run.</summary>
    public PredictResponse Predict(LoadedModel model, TabularDataset rows)
    {
        var outputs = model.Onnx.Predict(rows);
        var predictions = new Prediction[outputs.Count];
        var classes = model.Card.ClassLabels;
        for (var i = 0; i < outputs.Count; i++)
        {
            var o = outputs[i];
            IReadOnlyDictionary<string, double>? probabilities = null;
            if (model.Card.Task == ModelTask.Multiclass && o.Probabilities is { } p && classes is not null)
            {
                var d = new Dictionary<string, double>(classes.Count, StringComparer.Ordinal);
                for (var c = 0; c < classes.Count && c < p.Length; c++) d[classes[c]] = p[c];
                probabilities = d;
            }

            predictions[i] = new Prediction(
                PredictionIds.New(time.GetUtcNow()),
                model.Card.Task == ModelTask.Regression ? null : o.Label,
                model.Card.Task == ModelTask.Multiclass ? null : o.Score,
                probabilities);
        }

        return new PredictResponse(model.Card.Model, model.Card.Version, predictions);
    }

    private async Task<LoadedModel> LoadAsync(string model, int version)
    {
        var card = await registry.GetCardAsync(model, version, CancellationToken.None).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Model '{model}' has no version {version}.");
        var bytes = await registry.GetModelAsync(model, version, CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!ModelIntegrity.Verify(card, bytes))
            {
                _logger.LogWarning("{Model} v{Version} has no model.onnx SHA-256 in its card (registered before cards recorded it); served unverified.", model, version);
            }
        }
        catch (ModelIntegrityException e)
        {
            // Refused: a champion already served keeps serving (RefreshAsync keeps the previous entry on failure).
            PlatformTelemetry.Alerts.Add(1, new("model", model), new("kind", "model_integrity"));
            _logger.LogError(e, "Model integrity alert: {Model} v{Version} does not match its card; not served.", model, version);
            throw;
        }

        var onnx = new OnnxModel(bytes, card.Task, card.ClassLabels, options.Value.ExecutionProvider);
        PlatformTelemetry.ReportProviderInUse(ProviderTag(onnx.Provider));
        if (_loggedProviders.TryAdd(onnx.Provider, true))
        {
            _logger.LogInformation(
                "ONNX Runtime scores on the {Provider} execution provider (requested {Requested}{Reason}).",
                ProviderTag(onnx.Provider),
                ProviderTag(options.Value.ExecutionProvider),
                onnx.CudaUnavailableReason is { } why ? "; CUDA unavailable: " + why : "");
        }

        return new LoadedModel(card, onnx);
    }

    /// <summary>The lower-case name used in logs and as the <c>provider</c> metric tag.</summary>
    public static string ProviderTag(ExecutionProvider provider) => provider.ToString().ToLowerInvariant();

    public void Dispose()
    {
        foreach (var timer in _sweeps.Values) timer.Dispose();
        foreach (var lazy in _versions.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Onnx.Dispose();
            }
        }

        foreach (var gate in _refreshLocks.Values) gate.Dispose();
    }
}
