using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;
using Serverless.Core.Training;

namespace Serverless.App.Runs;

/// <summary>
/// The body of <c>GET /api/runs/{id}</c>: the run as the task hub has it (status, step timings in
/// <see cref="Progress"/>, metrics and the trial table in <see cref="Result"/>), and what its files under
/// <c>runs/{model}/{runId}/</c> add as they are written.
/// </summary>
/// <param name="Dataset">The dataset version trained on (SHA-256, rows, schema, lineage).</param>
/// <param name="Trainer">The trainer as the run's frozen spec asked for it (type, hyperparameters, compute).</param>
/// <param name="Training">What training reported: effective parameters, device, rows, fit time and the MLP's loss curve.</param>
/// <param name="Placement">Where it trained and why (known once ingest has decided).</param>
/// <param name="Gate">Every gate check against the champion of the time.</param>
/// <param name="Canceled">Set when the run was canceled through the API.</param>
public sealed record RunDetail(
    string RunId,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    RunProgress? Progress,
    PipelineResult? Result,
    string? Error,
    PipelineInput? Input,
    string? Model,
    string? Trigger,
    DatasetManifest? Dataset,
    TrainerSpec? Trainer,
    RunTraining? Training,
    TrainingPlacement? Placement,
    GateReport? Gate,
    RunCancelRecord? Canceled);

/// <param name="Parameters">Trainer name and effective hyperparameters.</param>
/// <param name="LossCurve">MLP only: train and validation loss per epoch.</param>
public sealed record RunTraining(
    IReadOnlyDictionary<string, string> Parameters,
    string Device,
    double FitSeconds,
    long TrainRows,
    long HoldoutRows,
    IReadOnlyList<EpochLoss>? LossCurve)
{
    public static RunTraining From(TrainingRecord r) => new(r.TrainerParameters, r.Device, r.FitSeconds, r.TrainRows, r.HoldoutRows, r.LossCurve);
}
