using System.Text.Json.Serialization;
using Serverless.Core;
using Serverless.Core.Registry;
using Serverless.Core.Runs;
using Serverless.Core.Specs;

namespace Serverless.Core.Training;

/// <summary><c>runs/{model}/{runId}/training.json</c>: what the train step leaves for evaluate and register.</summary>
/// <param name="Device">Where it was fitted: "cpu", or the accelerator the GPU trainer used.</param>
/// <param name="HoldoutMetrics">
/// The candidate's metrics on the holdout, computed from the exported ONNX graph's outputs that the drift reference was
/// built from: the gate takes them instead of loading and scoring the candidate a second time. Null on records
/// written before they were kept (evaluate then scores the candidate itself).
/// </param>
public sealed record TrainingRecord(
    long TrainRows,
    long HoldoutRows,
    double FitSeconds,
    IReadOnlyDictionary<string, string> TrainerParameters,
    IReadOnlyList<string>? ClassLabels,
    string Device = TrainerSpec.Cpu,
    [property: JsonConverter(typeof(MetricsJsonConverter))] IReadOnlyDictionary<string, double>? HoldoutMetrics = null)
{
    /// <summary>Per input column, the holdout metric's loss when the column is shuffled (Explanations.PermutationImportance); null when not measured.</summary>
    public IReadOnlyDictionary<string, double>? PermutationImportance { get; init; }

    /// <summary>The metric <see cref="PermutationImportance"/> is measured in.</summary>
    public string? PermutationMetric { get; init; }

    /// <summary>MLP: per-epoch train and validation loss (<see cref="TrainingResult.LossCurve"/>); null for other trainers.</summary>
    public IReadOnlyList<EpochLoss>? LossCurve { get; init; }
    /// <summary>The model card's holdout slices and calibration, from the same outputs as <see cref="HoldoutMetrics"/>; null on older records.</summary>
    public ModelCardHoldout? CardHoldout { get; init; }

    /// <summary>What the run's status shows of it.</summary>
    public TrainOutcome ToOutcome() => new(TrainRows, HoldoutRows, FitSeconds, TrainerParameters, Device);
}
