using System.Text.Json.Serialization;
using Serverless.Core;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Specs.Routing;

namespace Serverless.Core.Runs;

// What a run is started with and what it produced: the run contract that intake, the API and the orchestration share.
// The task hub's serializer is not PlatformJson, so metric maps carry their own converter: an undefined metric (AUC of a
// one-class holdout) is written as null instead of throwing in the middle of a run.

/// <summary>Where a run's data comes from: a dropped blob, or an already-snapshotted dataset version.</summary>
/// <param name="SourceName">The file's name in archive paths (<c>processed/{model}/{sha}/{SourceName}</c>): a dropped blob's own name, or the generated name of an upload, never a name a client chose.</param>
/// <param name="ClientFileName">The name an upload's client gave (<c>?fileName=</c>): shown in the run, never used in a path.</param>
/// <param name="Trigger">One of <see cref="RunTriggers"/> (null on runs started before it was recorded: <see cref="RunTriggers.Of"/>).</param>
/// <param name="RerunOf">The run a rerun repeats.</param>
public sealed record PipelineInput(
    string RunId,
    string Model,
    string DatasetSha256,
    string SourceName,
    DateTimeOffset ReceivedAt,
    string? SourceBlob = null,
    string? ClientFileName = null,
    string? Trigger = null,
    string? RerunOf = null);

/// <param name="RemoteTrainer">The run trains on the trainer job (queue dispatch) instead of in an activity (<see cref="Placement"/> says why).</param>
/// <param name="TrainerTimeout">How long to wait for the trainer job's result.</param>
/// <param name="Spec">The spec the run ingested under (accepted only): the later steps take it from here, so a run reads its spec once.</param>
/// <param name="Placement">Where the run trains and why (accepted only; null on runs ingested before it was decided here).</param>
public sealed record IngestOutcome(
    bool Accepted,
    string Verdict,
    long Rows,
    long DroppedRows,
    string ReportBlob,
    string? Reason,
    bool RemoteTrainer = false,
    TimeSpan? TrainerTimeout = null,
    ModelSpec? Spec = null,
    TrainingPlacement? Placement = null)
{
    /// <summary><c>runs/{model}/{runId}/ingest.json</c>: written before the dropped file leaves <c>incoming/</c>, so the drop is known to be consumed.</summary>
    public static string BlobName(string model, string runId) => $"{BlobLayout.RunPrefix(model, runId)}ingest.json";
}

public sealed record EvaluationOutcome(
    bool Passed,
    [property: JsonConverter(typeof(MetricsJsonConverter))] IReadOnlyDictionary<string, double> CandidateMetrics,
    int? ChampionVersion,
    [property: JsonConverter(typeof(MetricsJsonConverter))] IReadOnlyDictionary<string, double>? ChampionMetrics,
    string GateReportBlob,
    IReadOnlyList<string> FailedChecks,
    int? ChampionAtEvaluation = null);

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
    string? NotPromotedReason = null,
    SweepResult? Sweep = null);

public static class RunOutcomes
{
    public const string Promoted = "promoted";
    public const string Registered = "registered-not-promoted";
    public const string Quarantined = "quarantined";
}
