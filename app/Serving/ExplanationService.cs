using System.Collections.Concurrent;
using Azure;
using Serverless.Core.Explanations;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.App.Serving;

/// <summary>
/// Explains the champion's predictions: the same rows and checks as predict, the same champion, then the version's
/// explainer, loaded once per version: exact TreeSHAP for tree models (its <c>model.onnx</c>, verified against the card,
/// and <c>explainer.json</c>), integrated gradients for an MLP (<c>gradients.json</c>, tied to the card's model hash).
/// </summary>
public sealed class ExplanationService(PredictionService prediction, ModelServer server, BatchingScorer scorer, ModelRegistry registry, PlatformStorage storage)
{
    public const string Method = "TreeSHAP (path-dependent, exact; Lundberg et al. 2018)";

    /// <summary>Rows per explain request: TreeSHAP costs about O(leaves · depth²) per tree and row, far more than scoring.</summary>
    public const int MaxRows = 1_000;

    // One explainer per model: the champion's version; a new champion replaces it.
    private readonly ConcurrentDictionary<string, Lazy<Task<(int Version, VersionExplainer? Explainer)>>> _explainers = new(StringComparer.Ordinal);

    /// <summary>POST …/explain: predictions and explanations, without entering the prediction log (it is not traffic).</summary>
    public async Task<Outcome<ExplainResponse>> ExplainAsync(string model, byte[] body, CancellationToken ct)
    {
        var (rows, problem) = CheckBody(body);
        if (problem is not null) return problem;

        LoadedModel? champion;
        try
        {
            champion = await server.GetChampionAsync(model, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            return new Outcome<ExplainResponse>.Unavailable($"Model '{model}' is not loaded and storage is unreachable.");
        }
        catch (ModelIntegrityException e)
        {
            return new Outcome<ExplainResponse>.Unavailable($"Model '{model}' v{e.Version} failed its integrity check (model.onnx does not match its card) and is not served.");
        }

        if (champion is null)
        {
            return new Outcome<ExplainResponse>.NotFound($"Model '{model}' has no champion (unknown model, or no version promoted yet).");
        }

        var errors = new List<FieldError>();
        if (PredictionRequestParser.Parse(body, rows, champion.RequestSchema, MaxRows, errors).Table is not { } table)
        {
            return new Outcome<ExplainResponse>.Invalid($"{errors.Count} field error(s) against {model} v{champion.Card.Version}'s inputs.", errors);
        }

        var predicted = await scorer.PredictAsync(champion, table, ct).ConfigureAwait(false);
        return await ExplainAsync(champion.Card, predicted, table, ct).ConfigureAwait(false);
    }

    /// <summary>Predict with <c>?explain=true</c>: predict exactly as without (log included), then explain the version that answered.</summary>
    public async Task<Outcome<ExplainResponse>> PredictAndExplainAsync(string model, byte[] body, string requestId, CancellationToken ct)
    {
        var (rows, problem) = CheckBody(body);
        if (problem is not null) return problem;

        var outcome = await prediction.PredictAsync(model, body, requestId, ct).ConfigureAwait(false);
        if (outcome is not Outcome<PredictResponse>.Done { Value: var predicted })
        {
            return outcome switch
            {
                Outcome<PredictResponse>.Invalid i => new Outcome<ExplainResponse>.Invalid(i.Detail, i.Errors),
                Outcome<PredictResponse>.TooLarge t => new Outcome<ExplainResponse>.TooLarge(t.Detail),
                Outcome<PredictResponse>.NotFound n => new Outcome<ExplainResponse>.NotFound(n.Detail),
                Outcome<PredictResponse>.Unavailable u => new Outcome<ExplainResponse>.Unavailable(u.Detail),
                _ => throw new InvalidOperationException($"Unmapped outcome {outcome.GetType().Name}."),
            };
        }

        // The rows parsed once already; parse again against the version that answered (cheap next to TreeSHAP).
        var version = await server.GetVersionAsync(model, predicted.Version, ct).ConfigureAwait(false);
        var table = PredictionRequestParser.Parse(body, rows, version.RequestSchema, MaxRows, []).Table!;
        return await ExplainAsync(version.Card, predicted, table, ct).ConfigureAwait(false);
    }

    private async Task<Outcome<ExplainResponse>> ExplainAsync(ModelCard card, PredictResponse predicted, Core.Datasets.TabularDataset table, CancellationToken ct)
    {
        VersionExplainer? explainer;
        try
        {
            explainer = await GetExplainerAsync(card, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            return new Outcome<ExplainResponse>.Unavailable($"The explainer of '{card.Model}' v{card.Version} cannot be read: storage is unreachable.");
        }

        if (explainer is null)
        {
            return new Outcome<ExplainResponse>.Conflict(
                "No explainer",
                $"'{card.Model}' v{card.Version} ({card.Trainer}) has no explainer: exact TreeSHAP covers tree models (LightGbm, FastTree) with explainer.json, integrated gradients MLPs with gradients.json; retrain to get one.");
        }

        var explanations = explainer.Explain(table);
        return new ExplainResponse(predicted.Model, predicted.Version, predicted.Predictions, explainer.Method, explainer.Link, explainer.Calibration, explanations)
        {
            Approximate = explainer.Approximate,
        };
    }

    private async Task<VersionExplainer?> GetExplainerAsync(ModelCard card, CancellationToken ct)
    {
        while (true)
        {
            var lazy = _explainers.GetOrAdd(card.Model, _ => new(() => LoadAsync(card)));
            (int Version, VersionExplainer? Explainer) loaded;
            try
            {
                loaded = await lazy.Value.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                _explainers.TryRemove(new(card.Model, lazy));
                throw;
            }

            if (loaded.Version == card.Version) return loaded.Explainer;

            // Another version is now asked for (a new champion): replace it. In-flight callers of the old one finish
            // on their own reference; the session is left to the finalizer rather than disposed under them.
            _explainers.TryUpdate(card.Model, new(() => LoadAsync(card)), lazy);
        }
    }

    private async Task<(int, VersionExplainer?)> LoadAsync(ModelCard card)
    {
        if (card.Trainer == TrainerKind.Mlp)
        {
            var gradients = await BlobJson.TryDownloadAsync<GradientExplainerArtifact>(
                storage.Registry.GetBlobClient(BlobLayout.RegistryGradients(card.Model, card.Version)), CancellationToken.None).ConfigureAwait(false);
            if (gradients is null) return (card.Version, null);

            // The weights must be those the served model.onnx was exported from.
            if (card.ModelSha256 is { } sha && !string.Equals(sha, gradients.ModelSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelIntegrityException(card.Model, card.Version, sha, gradients.ModelSha256);
            }

            return (card.Version, VersionExplainer.Gradients(new IntegratedGradients(gradients)));
        }

        var artifact = await BlobJson.TryDownloadAsync<ExplainerArtifact>(
            storage.Registry.GetBlobClient(BlobLayout.RegistryExplainer(card.Model, card.Version)), CancellationToken.None).ConfigureAwait(false);
        if (artifact is null) return (card.Version, null);

        var onnx = await registry.GetModelAsync(card.Model, card.Version, CancellationToken.None).ConfigureAwait(false);
        ModelIntegrity.Verify(card, onnx);
        return (card.Version, VersionExplainer.Trees(TreeExplainer.Load(onnx, artifact, card.ClassLabels)));
    }

    /// <summary>The body's own problems (malformed, no rows array, no rows, too many), before any model is looked up.</summary>
    private static (RowsLocation Rows, Outcome<ExplainResponse>? Problem) CheckBody(byte[] body)
    {
        var rows = PredictionRequestParser.Locate(body);
        if (rows.MalformedJson is not null || rows.Error is not null)
        {
            return (rows, rows.MalformedJson is { } located ? Malformed(located) : new Outcome<ExplainResponse>.Invalid("Invalid request.", [rows.Error!]));
        }

        var counted = PredictionRequestParser.CountRows(body, rows);
        return (rows, counted switch
        {
            { MalformedJson: { } message } => Malformed(message),
            { RowCount: 0 } => new Outcome<ExplainResponse>.Invalid("Invalid request.", [new FieldError(-1, "rows", "At least one row is required.")]),
            { RowCount: > MaxRows and var n } => new Outcome<ExplainResponse>.TooLarge($"{n} rows exceed the limit of {MaxRows} per explain request."),
            _ => null,
        });
    }

    private static Outcome<ExplainResponse>.Invalid Malformed(string message) => new("Malformed JSON.", [new FieldError(-1, "", message)]);
}
