using System.Text.Json.Serialization;
using Serverless.Core;

namespace Serverless.Durable.Pipeline;

// Activity inputs/outputs: small, serializable, paths instead of data (payloads go through the task hub). The task
// hub's serializer is not PlatformJson, so metric maps carry their own converter: an undefined metric (AUC of a
// one-class holdout) is written as null instead of throwing in the middle of a run.

/// <summary>Where a run's data comes from: a dropped blob, or an already-snapshotted dataset version.</summary>
public sealed record PipelineInput(
    string RunId,
    string Model,
    string DatasetSha256,
    string SourceName,
    DateTimeOffset ReceivedAt,
    string? SourceBlob = null);

/// <param name="RemoteTrainer">The spec trains on the GPU trainer job (queue dispatch) instead of in an activity.</param>
/// <param name="TrainerTimeout">How long to wait for the GPU trainer's result.</param>
public sealed record IngestOutcome(
    bool Accepted,
    string Verdict,
    long Rows,
    long DroppedRows,
    string ReportBlob,
    string? Reason,
    bool RemoteTrainer = false,
    TimeSpan? TrainerTimeout = null)
{
    /// <summary><c>runs/{model}/{runId}/ingest.json</c>: written before the dropped file leaves <c>incoming/</c>, so the drop is known to be consumed.</summary>
    public static string BlobName(string model, string runId) => $"{Serverless.Core.Storage.BlobLayout.RunPrefix(model, runId)}ingest.json";
}

/// <summary>Moves a drop whose ingest failed for good into quarantine, with <paramref name="Reason"/> as its report.</summary>
public sealed record QuarantineRequest(PipelineInput Input, string Reason);

public sealed record TrainRequest(string RunId, string Model, string DatasetSha256);

public sealed record TrainOutcome(
    long TrainRows,
    long HoldoutRows,
    double FitSeconds,
    IReadOnlyDictionary<string, string> TrainerParameters,
    string Device = "cpu")
{
    public static TrainOutcome From(Serverless.Core.Training.TrainingRecord r) => new(r.TrainRows, r.HoldoutRows, r.FitSeconds, r.TrainerParameters, r.Device);
}

public sealed record RunRef(string RunId, string Model);

public sealed record EvaluationOutcome(
    bool Passed,
    [property: JsonConverter(typeof(MetricsJsonConverter))] IReadOnlyDictionary<string, double> CandidateMetrics,
    int? ChampionVersion,
    [property: JsonConverter(typeof(MetricsJsonConverter))] IReadOnlyDictionary<string, double>? ChampionMetrics,
    string GateReportBlob,
    IReadOnlyList<string> FailedChecks,
    int? ChampionAtEvaluation = null);

public sealed record RegisterRequest(string RunId, string Model, string DatasetSha256);

/// <param name="ExpectedChampion">The champion the gate compared against (null: there was none); promotion happens only if it still is.</param>
public sealed record PromoteRequest(string RunId, string Model, int Version, int? ExpectedChampion);

/// <param name="Champion">The champion after the step.</param>
/// <param name="Detail">What happened, and why not when not promoted.</param>
public sealed record PromoteOutcome(bool Promoted, int? Champion, string Detail);

/// <summary>What a finished run produced.</summary>
public sealed record PipelineResult(
    string RunId,
    string Model,
    string Outcome,
    string DatasetSha256,
    int? Version,
    bool Promoted,
    [property: JsonConverter(typeof(MetricsJsonConverter))] IReadOnlyDictionary<string, double>? Metrics,
    EvaluationOutcome? Evaluation,
    IngestOutcome Ingest,
    string? NotPromotedReason = null);

public static class RunOutcomes
{
    public const string Promoted = "promoted";
    public const string Registered = "registered-not-promoted";
    public const string Quarantined = "quarantined";
}
