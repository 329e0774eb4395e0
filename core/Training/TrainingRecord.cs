using Serverless.Core.Runs;
using Serverless.Core.Specs;

namespace Serverless.Core.Training;

/// <summary><c>runs/{model}/{runId}/training.json</c>: what the train step leaves for evaluate and register.</summary>
/// <param name="Device">Where it was fitted: "cpu", or the accelerator the GPU trainer used.</param>
public sealed record TrainingRecord(
    long TrainRows,
    long HoldoutRows,
    double FitSeconds,
    IReadOnlyDictionary<string, string> TrainerParameters,
    IReadOnlyList<string>? ClassLabels,
    string Device = TrainerSpec.Cpu)
{
    /// <summary>What the run's status shows of it.</summary>
    public TrainOutcome ToOutcome() => new(TrainRows, HoldoutRows, FitSeconds, TrainerParameters, Device);
}
