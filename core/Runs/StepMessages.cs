using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;

namespace Serverless.Core.Runs;

// The steps' inputs and outputs: small, serializable, paths instead of data (payloads go through the task hub). The
// run's spec is the exception: it is small, and carrying it from ingest to the later steps means a run reads its spec
// once. It is null only for steps of runs started before it was carried; those steps read runs/{model}/{runId}/spec.json.

/// <summary>Moves a drop whose ingest failed for good into quarantine, with <paramref name="Reason"/> as its report.</summary>
public sealed record QuarantineRequest(PipelineInput Input, string Reason);

public sealed record TrainRequest(string RunId, string Model, string DatasetSha256, ModelSpec? Spec = null);

public sealed record TrainOutcome(
    long TrainRows,
    long HoldoutRows,
    double FitSeconds,
    IReadOnlyDictionary<string, string> TrainerParameters,
    string Device = TrainerSpec.Cpu);

public sealed record RunRef(string RunId, string Model);

/// <param name="Placement">Where the run trained and why, for the card (null on runs started before it was recorded).</param>
public sealed record RegisterRequest(string RunId, string Model, string DatasetSha256, ModelSpec? Spec = null, TrainingPlacement? Placement = null);

/// <summary>The gate's input: the run and the spec it ingested under.</summary>
public sealed record EvaluateRequest(string RunId, string Model, ModelSpec? Spec = null);

/// <param name="ExpectedChampion">The champion the gate compared against (null: there was none); promotion happens only if it still is.</param>
public sealed record PromoteRequest(string RunId, string Model, int Version, int? ExpectedChampion);

/// <param name="Champion">The champion after the step.</param>
/// <param name="Detail">What happened, and why not when not promoted.</param>
public sealed record PromoteOutcome(bool Promoted, int? Champion, string Detail);
