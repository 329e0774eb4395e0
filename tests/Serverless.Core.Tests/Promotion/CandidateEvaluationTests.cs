using Serverless.Core.Evaluation;
using Serverless.Core.Promotion;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Tests.Training;
using Serverless.Core.Training;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Promotion;

/// <summary>The candidate is scored once per run: train keeps the metrics of the exported graph, the gate takes them.</summary>
public sealed class CandidateEvaluationTests
{
    private readonly CancellationToken _ct = CancellationToken.None;

    [Theory]
    [InlineData(ModelTask.Binary)]
    [InlineData(ModelTask.Multiclass)]
    [InlineData(ModelTask.Regression)]
    public async Task The_training_record_keeps_the_metrics_evaluate_would_compute_from_the_stored_candidate(ModelTask task)
    {
        var (artifacts, _, _) = await StartAsync();
        var model = Azurite.UniqueModel("kept");
        var spec = SyntheticData.Spec(task, TrainerKind.LightGbm);
        var data = SyntheticData.Create(task, rows: 600);
        var trained = new MlNetTrainer().Train(spec, data, _ct);

        var record = await artifacts.WriteTrainingAsync(model, "run-1", spec, data, trained, TrainerSpec.Cpu, _ct);

        // What evaluate computed before: the stored ONNX scored on the stored holdout.
        using var candidate = new OnnxModel(await artifacts.ReadCandidateAsync(model, "run-1", _ct), spec.Task, record.ClassLabels);
        var holdout = await artifacts.ReadHoldoutAsync(model, "run-1", _ct);
        var expected = ModelEvaluator.Evaluate(spec.Task, holdout[spec.Label], candidate.Predict(holdout), candidate.ClassLabels);
        Assert.NotNull(record.HoldoutMetrics);
        Assert.Equal(expected.Keys.Order(), record.HoldoutMetrics.Keys.Order());
        foreach (var (name, value) in expected)
        {
            Assert.True(Math.Abs(value - record.HoldoutMetrics[name]) <= 1e-9 || (double.IsNaN(value) && double.IsNaN(record.HoldoutMetrics[name])), $"{name}: {value} vs {record.HoldoutMetrics[name]}");
        }

        Assert.Equal(record.HoldoutMetrics.Keys, (await artifacts.ReadTrainingAsync(model, "run-1", _ct)).HoldoutMetrics!.Keys);
    }

    [Fact]
    public async Task Without_a_champion_the_gate_takes_the_kept_metrics_and_reads_neither_candidate_nor_holdout()
    {
        var (artifacts, storage, evaluation) = await StartAsync();
        var model = Azurite.UniqueModel("gate");
        var spec = SyntheticData.Spec(ModelTask.Binary, TrainerKind.LightGbm) with { Gates = new GateSpec([new MetricThreshold(MetricNames.Auc, Min: 0.5)]) };
        var data = SyntheticData.Create(ModelTask.Binary, rows: 600);
        var record = await artifacts.WriteTrainingAsync(model, "run-1", spec, data, new MlNetTrainer().Train(spec, data, _ct), TrainerSpec.Cpu, _ct);

        // Gone: a gate that still loaded the candidate or the holdout would fail with 404.
        await storage.Runs.DeleteBlobAsync(BlobLayout.RunCandidate(model, "run-1"), cancellationToken: _ct);
        await storage.Runs.DeleteBlobAsync(BlobLayout.RunHoldout(model, "run-1"), cancellationToken: _ct);

        var outcome = await evaluation.EvaluateAsync(new EvaluateRequest("run-1", model, spec), _ct);

        Assert.True(outcome.Passed, string.Join("; ", outcome.FailedChecks));
        Assert.Equal(record.HoldoutMetrics![MetricNames.Auc], outcome.CandidateMetrics[MetricNames.Auc]);
        Assert.Null(outcome.ChampionVersion);
    }

    private async Task<(RunArtifacts Artifacts, PlatformStorage Storage, CandidateEvaluation Evaluation)> StartAsync()
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(_ct);
        var artifacts = new RunArtifacts(storage);
        return (artifacts, storage, new CandidateEvaluation(storage, artifacts, new ModelRegistry(storage, TimeProvider.System)));
    }
}
