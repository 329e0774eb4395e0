using Serverless.Core.Evaluation;
using Serverless.Core.Datasets;
using Serverless.Core.Explanations;
using Serverless.Core.Monitoring;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Core.Training;

/// <summary>
/// A run's files under <c>runs/{model}/{runId}/</c>: the spec it was started with, and what training produced
/// (candidate ONNX, holdout, drift reference, training record). Used by the CPU train activity and the GPU trainer
/// alike, so evaluate and register read the same layout whoever trained.
/// </summary>
public sealed class RunArtifacts(PlatformStorage storage)
{
    /// <summary>The runs container, for files a run's trainers share beside these (multi-replica gradient exchange).</summary>
    public Azure.Storage.Blobs.BlobContainerClient Runs => storage.Runs;

    public Task<ModelSpec> ReadSpecAsync(string model, string runId, CancellationToken ct) =>
        BlobJson.DownloadAsync<ModelSpec>(storage.Runs.GetBlobClient(BlobLayout.RunSpec(model, runId)), ct);

    public Task WriteSpecAsync(string model, string runId, ModelSpec spec, CancellationToken ct) =>
        BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunSpec(model, runId)), spec, ct);

    public async Task<TabularDataset> ReadDatasetAsync(string model, string sha256, CancellationToken ct)
    {
        var content = await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, sha256)).DownloadContentAsync(ct).ConfigureAwait(false);
        using var stream = content.Value.Content.ToStream();
        return await DatasetSnapshot.ReadParquetAsync(stream, ct).ConfigureAwait(false);
    }

    private async Task UploadHoldoutAsync(string model, string runId, TabularDataset holdout, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(holdout, buffer, ct).ConfigureAwait(false);
        await storage.Runs.GetBlobClient(BlobLayout.RunHoldout(model, runId)).UploadAsync(new BinaryData(buffer.ToArray()), overwrite: true, ct).ConfigureAwait(false);
    }

    public async Task<TabularDataset> ReadHoldoutAsync(string model, string runId, CancellationToken ct)
    {
        var content = await storage.Runs.GetBlobClient(BlobLayout.RunHoldout(model, runId)).DownloadContentAsync(ct).ConfigureAwait(false);
        using var stream = content.Value.Content.ToStream();
        return await DatasetSnapshot.ReadParquetAsync(stream, ct).ConfigureAwait(false);
    }

    public async Task<byte[]> ReadCandidateAsync(string model, string runId, CancellationToken ct) =>
        (await storage.Runs.GetBlobClient(BlobLayout.RunCandidate(model, runId)).DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content.ToArray();

    public Task<TrainingRecord> ReadTrainingAsync(string model, string runId, CancellationToken ct) =>
        BlobJson.DownloadAsync<TrainingRecord>(storage.Runs.GetBlobClient(BlobLayout.RunTraining(model, runId)), ct);

    /// <summary>Writes everything evaluate and register need; training.json last, so its presence means complete.</summary>
    public Task<ExplainerArtifact?> ReadExplainerAsync(string model, string runId, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<ExplainerArtifact>(storage.Runs.GetBlobClient(BlobLayout.RunExplainer(model, runId)), ct);

    /// <summary>Tree models: covers from the training rows and mean |SHAP| on (part of) the holdout, for exact explanations later.</summary>
    private async Task WriteExplainerAsync(string model, string runId, ModelSpec spec, TabularDataset data, TrainingResult trained, CancellationToken ct)
    {
        if (trained.Mlp is { } mlp)
        {
            await WriteGradientsAsync(model, runId, spec, data, mlp, trained.Onnx, ct).ConfigureAwait(false);
            return;
        }

        if (spec.Trainer.Type is not (TrainerKind.LightGbm or TrainerKind.FastTree))
        {
            return;
        }

        await Task.Yield(); // the caller goes on building the drift reference meanwhile
        // Sampled here (not inside Fit) so a large run never copies all its training rows for the covers.
        var rows = HoldoutSplit.Create(data.RowCount, spec.Holdout).TrainRows;
        var step = Math.Max(1.0, (double)rows.Length / TreeExplainer.MaxCoverRows);
        var training = data.Select(step == 1.0 ? rows : [.. Enumerable.Range(0, TreeExplainer.MaxCoverRows).Select(i => rows[(int)(i * step)])]);
        var sample = trained.Holdout.RowCount <= TreeExplainer.ImportanceRows
            ? trained.Holdout
            : trained.Holdout.Select([.. Enumerable.Range(0, TreeExplainer.ImportanceRows)]);
        var artifact = await Task.Run(() => TreeExplainer.Fit(trained.Onnx, training, sample, trained.ClassLabels), ct).ConfigureAwait(false);
        await BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunExplainer(model, runId)), artifact, ct).ConfigureAwait(false);
    }

    /// <summary>MLPs: the weights, preprocessing and baseline for integrated gradients (categorical baselines counted on the training rows).</summary>
    private async Task WriteGradientsAsync(string model, string runId, ModelSpec spec, TabularDataset data, MlpModel mlp, byte[] onnx, CancellationToken ct)
    {
        var rows = HoldoutSplit.Create(data.RowCount, spec.Holdout).TrainRows;
        var categorical = new TabularDataset([.. spec.Features.Where(f => f.Type == FeatureType.Categorical).Select(f => data[f.Name].Select(rows))]);
        var artifact = MlpGradientArtifact.Build(mlp, onnx, categorical);
        await BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunGradients(model, runId)), artifact, ct).ConfigureAwait(false);
    }

    public Task<GradientExplainerArtifact?> ReadGradientsAsync(string model, string runId, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<GradientExplainerArtifact>(storage.Runs.GetBlobClient(BlobLayout.RunGradients(model, runId)), ct);

    private static IReadOnlyDictionary<string, double>? MeasurePermutationImportance(ModelSpec spec, TrainingResult trained)
    {
        if (trained.Holdout.RowCount == 0) return null;
        using var scorer = new OnnxModel(trained.Onnx, spec.Task, trained.ClassLabels);
        return PermutationImportance.Measure(scorer, spec, trained.Holdout, trained.ClassLabels);
    }

    public async Task<TrainingRecord> WriteTrainingAsync(string model, string runId, ModelSpec spec, TabularDataset data, TrainingResult trained, string device, CancellationToken ct)
    {
        // The uploads overlap with building the reference; only training.json waits for all of them.
        var holdout = UploadHoldoutAsync(model, runId, trained.Holdout, ct);
        var candidate = storage.Runs.GetBlobClient(BlobLayout.RunCandidate(model, runId)).UploadAsync(new BinaryData(trained.Onnx), overwrite: true, ct);

        // The drift reference: the training snapshot's feature distributions, and the model's outputs on its holdout.
        // The same outputs of the exported graph give the gate its candidate metrics, so the candidate is scored once.
        // The explainer and permutation importance (tree walks, holdout re-scoring) overlap with it.
        var explainer = WriteExplainerAsync(model, runId, spec, data, trained, ct);
        var permutation = Task.Run(() => MeasurePermutationImportance(spec, trained), ct);
        ReferenceProfile reference;
        IReadOnlyDictionary<string, double> metrics;
        ModelCardHoldout cardHoldout;
        using (var scorer = new OnnxModel(trained.Onnx, spec.Task, trained.ClassLabels))
        {
            var outputs = ChunkedScoring.Predict(scorer, trained.Holdout);
            metrics = ModelEvaluator.Evaluate(spec.Task, trained.Holdout[spec.Label], outputs, scorer.ClassLabels);
            cardHoldout = new ModelCardHoldout(
                ModelCardSlices.Measure(spec, trained.Holdout, outputs, scorer.ClassLabels),
                CalibrationCurve.Measure(spec.Task, trained.Holdout[spec.Label], outputs, scorer.ClassLabels));
            var predictions = spec.Task == ModelTask.Multiclass
                ? DataColumn.Text(ReferenceProfile.PredictionName, outputs.Select(o => o.Label).ToArray())
                : DataColumn.Float(ReferenceProfile.PredictionName, outputs.Select(o => o.Score ?? float.NaN).ToArray());
            reference = ReferenceProfile.Build(spec, data, predictions);
        }

        await Task.WhenAll(
            holdout,
            candidate,
            BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunReference(model, runId)), reference, ct),
            explainer,
            permutation).ConfigureAwait(false);
        var importance = await permutation.ConfigureAwait(false);

        var record = new TrainingRecord(trained.TrainRows, trained.Holdout.RowCount, trained.FitTime.TotalSeconds, trained.TrainerParameters, trained.ClassLabels, device, metrics)
        {
            PermutationImportance = importance,
            PermutationMetric = importance is null ? null : PermutationImportance.MetricFor(spec),
            LossCurve = trained.LossCurve,
            CardHoldout = cardHoldout,
        };
        await BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunTraining(model, runId)), record, ct).ConfigureAwait(false);
        return record;
    }
}
