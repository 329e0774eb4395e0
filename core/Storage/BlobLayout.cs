namespace Serverless.Core.Storage;

/// <summary>
/// Where everything lives in blob storage. One container per concern; blob names start with the model name
/// so a model's data can be listed, copied or deleted by prefix.
/// </summary>
public static class BlobLayout
{
    public const string DatasetsContainer = "datasets";
    public const string ModelsContainer = "models";
    public const string RegistryContainer = "registry";
    public const string QuarantineContainer = "quarantine";
    public const string ProcessedContainer = "processed";
    public const string RunsContainer = "runs";
    public const string PredictionsContainer = "predictions";
    public const string FeedbackContainer = "feedback";
    public const string MonitoringContainer = "monitoring";
    public const string ScoringContainer = "scoring";

    public static readonly IReadOnlyList<string> AllContainers =
    [
        DatasetsContainer, ModelsContainer, RegistryContainer, QuarantineContainer, ProcessedContainer, RunsContainer,
        PredictionsContainer, FeedbackContainer, MonitoringContainer, ScoringContainer,
    ];

    public const string IncomingSegment = "incoming";

    public static string SpecBlob(string model) => $"{model}/model.json";

    public static string IncomingPrefix(string model) => $"{model}/{IncomingSegment}/";

    public static string IncomingBlob(string model, string fileName) => $"{IncomingPrefix(model)}{fileName}";

    /// <summary>Files posted to <c>POST /api/models/{model}/runs</c>; outside incoming/ so no watcher treats them as drops.</summary>
    public static string UploadBlob(string model, string fileName) => $"{model}/uploads/{fileName}";

    public static string DatasetVersionPrefix(string model, string sha256) => $"{model}/versions/{sha256}/";

    public static string DatasetData(string model, string sha256) => $"{DatasetVersionPrefix(model, sha256)}data.parquet";

    public static string DatasetManifest(string model, string sha256) => $"{DatasetVersionPrefix(model, sha256)}manifest.json";

    /// <summary>Original bytes of an accepted file, and its validation report beside them.</summary>
    public static string ProcessedPrefix(string model, string sha256) => $"{model}/{sha256}/";

    /// <summary>Original bytes of a rejected file, and the quarantine report beside them.</summary>
    public static string QuarantinePrefix(string model, string sha256) => $"{model}/{sha256}/";

    public const string ReportName = "report.json";

    public static string RegistryVersionPrefix(string model) => $"{model}/versions/";

    public static string RegistryModel(string model, int version) => $"{RegistryVersionPrefix(model)}{version}/model.onnx";

    public static string RegistryCard(string model, int version) => $"{RegistryVersionPrefix(model)}{version}/card.json";

    public static string RegistryAliases(string model) => $"{model}/aliases.json";

    public static string RegistryReference(string model, int version) => $"{RegistryVersionPrefix(model)}{version}/reference.json";

    /// <summary>Tree models: node covers and global importance for exact TreeSHAP (Explanations.ExplainerArtifact).</summary>
    public static string RegistryExplainer(string model, int version) => $"{RegistryVersionPrefix(model)}{version}/explainer.json";

    /// <summary>MLPs: weights, preprocessing and baseline for integrated gradients (Explanations.GradientExplainerArtifact).</summary>
    public static string RegistryGradients(string model, int version) => $"{RegistryVersionPrefix(model)}{version}/gradients.json";

    /// <summary>Logged predictions of one hour: <c>predictions/{model}/{yyyy}/{MM}/{dd}/{HH}/</c>.</summary>
    public static string PredictionHourPrefix(string model, DateTimeOffset hour) => $"{model}/{hour.UtcDateTime:yyyy'/'MM'/'dd'/'HH}/";

    /// <summary>Labels for predictions made in one hour (partitioned by the prediction's time, so joins read one folder).</summary>
    public static string FeedbackHourPrefix(string model, DateTimeOffset predictionHour) => $"{model}/labels/{predictionHour.UtcDateTime:yyyy'/'MM'/'dd'/'HH}/";

    public static string FeedbackIncomingPrefix(string model) => $"{model}/{IncomingSegment}/";

    public static string FeedbackProcessed(string model, string name) => $"{model}/processed/{name}";

    public static string DriftReport(string model, DateTimeOffset at) => $"{model}/drift/{at.UtcDateTime:yyyyMMddTHHmmssfffZ}.json";

    public static string DriftPrefix(string model) => $"{model}/drift/";

    public static string MonitoringState(string model) => $"{model}/state.json";

    public static string RunReference(string model, string runId) => $"{RunPrefix(model, runId)}reference.json";

    public static string RunExplainer(string model, string runId) => $"{RunPrefix(model, runId)}explainer.json";

    public static string RunGradients(string model, string runId) => $"{RunPrefix(model, runId)}gradients.json";

    public static string RunPrefix(string model, string runId) => $"{model}/{runId}/";

    public static string RunSpec(string model, string runId) => $"{RunPrefix(model, runId)}spec.json";

    /// <summary>The drop that owns the run (created only if absent).</summary>
    public static string RunDropClaim(string model, string runId) => $"{RunPrefix(model, runId)}drop.json";

    public static string RunCandidate(string model, string runId) => $"{RunPrefix(model, runId)}candidate.onnx";

    public static string RunTraining(string model, string runId) => $"{RunPrefix(model, runId)}training.json";

    /// <summary>Written by <c>POST /api/runs/{id}/cancel</c>: who canceled the run, and when.</summary>
    public static string RunCanceled(string model, string runId) => $"{RunPrefix(model, runId)}canceled.json";

    /// <summary>The run's log lines (JSON lines, an append blob written by every step and the trainer job).</summary>
    public static string RunLog(string model, string runId) => $"{RunPrefix(model, runId)}log.jsonl";

    public static string RunHoldout(string model, string runId) => $"{RunPrefix(model, runId)}holdout.parquet";

    public static string RunGateReport(string model, string runId) => $"{RunPrefix(model, runId)}gate.json";

    /// <summary>Where a multi-replica run's replicas exchange gradients (one folder per round).</summary>
    public static string RunSyncPrefix(string model, string runId) => $"{RunPrefix(model, runId)}sync/";

    /// <summary>Round <paramref name="round"/>'s folder; zero-padded so a listing returns rounds in order.</summary>
    public static string RunSyncRound(string model, string runId, long round) => $"{RunSyncPrefix(model, runId)}r{round:D10}/";

    /// <summary>Replica <paramref name="replica"/>'s contribution (summed gradient and loss) to round <paramref name="round"/>.</summary>
    public static string RunSyncContribution(string model, string runId, long round, int replica) => $"{RunSyncRound(model, runId, round)}{replica}";

    /// <summary>Replica 0's latest <c>MlpCheckpoint</c> of a multi-replica run (overwritten every few epochs).</summary>
    public static string RunSyncCheckpoint(string model, string runId) => $"{RunSyncPrefix(model, runId)}checkpoint";

    /// <summary>Created only if absent by whichever replica answers the run, so its result is posted once.</summary>
    public static string RunResultClaim(string model, string runId) => $"{RunSyncPrefix(model, runId)}result";

    /// <summary>
    /// Splits a blob name under the datasets container into (model, file name) when it is an incoming drop
    /// (<c>{model}/incoming/{name}</c>); nested folders under incoming are kept in the name.
    /// </summary>
    public static bool TryParseIncoming(string blobName, out string model, out string fileName)
    {
        model = fileName = string.Empty;
        var parts = blobName.Split('/', 3);
        if (parts.Length != 3 || parts[1] != IncomingSegment || parts[2].Length == 0)
        {
            return false;
        }

        model = parts[0];
        fileName = SafeName(parts[2]);
        return true;
    }

    /// <summary>
    /// A dropped file's name made safe to append to an archive prefix: "." and ".." segments, empty segments and
    /// control characters cannot climb out of (or blur) the model's folder.
    /// </summary>
    public static string SafeName(string name)
    {
        var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s is "." or ".." ? "_" : new string(s.Select(c => char.IsControl(c) ? '_' : c).ToArray()));
        var safe = string.Join('/', segments);
        return safe.Length == 0 ? "_" : safe;
    }
}
