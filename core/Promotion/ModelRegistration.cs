using Microsoft.Extensions.Logging;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.FeatureStore;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Core.Promotion;

/// <summary>Registers a run's candidate as the model's next version: the card from the run's spec, training record and gate report, the ONNX, the drift reference and the explainer (tree models: covers; MLPs: weights for integrated gradients).</summary>
public sealed class ModelRegistration(PlatformStorage storage, RunArtifacts artifacts, ModelRegistry registry, TimeProvider time, ILogger<ModelRegistration> logger, FeatureViewCatalog? featureViews = null)
{
    public async Task<int> RegisterAsync(RegisterRequest request, CancellationToken ct)
    {
        var runs = storage.Runs;
        var spec = request.Spec ?? await artifacts.ReadSpecAsync(request.Model, request.RunId, ct).ConfigureAwait(false);
        var training = await artifacts.ReadTrainingAsync(request.Model, request.RunId, ct).ConfigureAwait(false);
        var gate = await BlobJson.DownloadAsync<GateReport>(runs.GetBlobClient(BlobLayout.RunGateReport(request.Model, request.RunId)), ct).ConfigureAwait(false);
        var onnx = await artifacts.ReadCandidateAsync(request.Model, request.RunId, ct).ConfigureAwait(false);
        var explainer = await artifacts.ReadExplainerAsync(request.Model, request.RunId, ct).ConfigureAwait(false);
        var sweep = await SweepTrials.ReadAsync(storage, request.Model, request.RunId, ct).ConfigureAwait(false);
        var gradients = await artifacts.ReadGradientsAsync(request.Model, request.RunId, ct).ConfigureAwait(false);

        var manifest = await BlobJson.TryDownloadAsync<DatasetManifest>(storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(request.Model, request.DatasetSha256)), ct).ConfigureAwait(false);
        var card = new ModelCard
        {
            Model = request.Model,
            RunId = request.RunId,
            CreatedAt = time.GetUtcNow(),
            Task = spec.Task,
            Inputs = spec.Features,
            MissingValues = spec.MissingValues,
            AllowExtraColumns = spec.AllowExtraColumns,
            ClassLabels = training.ClassLabels,
            Trainer = spec.Trainer.Type,
            TrainerParameters = training.TrainerParameters,
            Metrics = gate.CandidateMetrics,
            Gate = gate,
            DatasetSha256 = request.DatasetSha256,
            TrainRows = training.TrainRows,
            HoldoutRows = training.HoldoutRows,
            SpecSha256 = ModelSpecStore.Hash(spec),
            PlatformVersion = PlatformInfo.Version,
            FitSeconds = training.FitSeconds,
            Placement = request.Placement,
            GlobalImportance = explainer?.GlobalImportance,
            PermutationImportance = training.PermutationImportance,
            PermutationMetric = training.PermutationMetric,
            Sweep = sweep?.Summary,
            FeatureViews = FeatureViewLineage.For(spec, featureViews),
        };
        card = ModelCardDocumentation.Complete(card, spec, manifest, training.CardHoldout);
        var version = await registry.RegisterAsync(card, onnx, ct).ConfigureAwait(false);
        var reference = await runs.GetBlobClient(BlobLayout.RunReference(request.Model, request.RunId)).DownloadContentAsync(ct).ConfigureAwait(false);
        await storage.Registry.GetBlobClient(BlobLayout.RegistryReference(request.Model, version)).UploadAsync(reference.Value.Content, overwrite: true, ct).ConfigureAwait(false);
        if (explainer is not null)
        {
            await BlobJson.UploadAsync(storage.Registry.GetBlobClient(BlobLayout.RegistryExplainer(request.Model, version)), explainer, ct).ConfigureAwait(false);
        }

        if (gradients is not null)
        {
            await BlobJson.UploadAsync(storage.Registry.GetBlobClient(BlobLayout.RegistryGradients(request.Model, version)), gradients, ct).ConfigureAwait(false);
        }
        logger.LogInformation("Registered {Model} v{Version} from run {RunId}", request.Model, version, request.RunId);
        return version;
    }
}
