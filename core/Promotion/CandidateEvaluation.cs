using Microsoft.Extensions.Logging;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;

namespace Serverless.Core.Promotion;

/// <summary>
/// The gate: scores the run's candidate and the current champion on the run's holdout (the same rows for both) and
/// writes the gate report the register step puts on the model card.
/// </summary>
public sealed class CandidateEvaluation(PlatformStorage storage, RunArtifacts artifacts, ModelRegistry registry, ILogger<CandidateEvaluation>? logger = null)
{
    public async Task<EvaluationOutcome> EvaluateAsync(EvaluateRequest run, CancellationToken ct)
    {
        var specRead = run.Spec is { } carried ? Task.FromResult(carried) : artifacts.ReadSpecAsync(run.Model, run.RunId, ct);
        var trainingRead = artifacts.ReadTrainingAsync(run.Model, run.RunId, ct);
        var championRead = registry.GetAliasesAsync(run.Model, ct);
        await Task.WhenAll(specRead, trainingRead, championRead).ConfigureAwait(false);
        var (spec, training) = (specRead.Result, trainingRead.Result);
        var championSeen = championRead.Result.Get(ModelAliases.Champion);

        // The train step scored the exported candidate on the holdout already (for the drift reference) and kept its
        // metrics; only a record from before that, or a champion to re-score, needs the holdout here.
        var holdoutRead = training.HoldoutMetrics is null || championSeen is not null
            ? artifacts.ReadHoldoutAsync(run.Model, run.RunId, ct)
            : null;
        IReadOnlyDictionary<string, double> candidateMetrics;
        if (training.HoldoutMetrics is { } kept)
        {
            candidateMetrics = kept;
        }
        else
        {
            var candidateBytes = await artifacts.ReadCandidateAsync(run.Model, run.RunId, ct).ConfigureAwait(false);
            using var candidate = new OnnxModel(candidateBytes, spec.Task, training.ClassLabels);
            candidateMetrics = Score(spec, candidate, await holdoutRead!.ConfigureAwait(false));
        }

        // The champion is re-scored on this run's holdout, so both numbers describe the same rows.
        IReadOnlyDictionary<string, double>? championMetrics = null;
        var championVersion = championSeen;
        string? note = null;
        if (championVersion is { } cv && await registry.GetCardAsync(run.Model, cv, ct).ConfigureAwait(false) is { } championCard)
        {
            var holdout = await holdoutRead!.ConfigureAwait(false);
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
        logger?.LogGate(gate);
        return new EvaluationOutcome(
            gate.Passed,
            candidateMetrics,
            championMetrics is null ? null : championVersion,
            championMetrics,
            $"{BlobLayout.RunsContainer}/{gateBlob}",
            gate.Checks.Where(c => !c.Passed).Select(c => c.Detail).ToList(),
            championSeen);
    }

    private static IReadOnlyDictionary<string, double> Score(ModelSpec spec, OnnxModel model, TabularDataset holdout) =>
        ModelEvaluator.Evaluate(spec.Task, holdout[spec.Label], ChunkedScoring.Predict(model, holdout), model.ClassLabels);
}
