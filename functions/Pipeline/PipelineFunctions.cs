using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Core.Runs;
using Serverless.Core.Training.Sweeps;
using Serverless.Durable.Pipeline;
using Serverless.Durable.Pipeline.Activities;

namespace Serverless.Functions.Pipeline;

/// <summary>
/// The Functions face of <see cref="PipelineTasks"/>: one orchestration and one activity trigger per entry, each
/// delegating to the class the local host registers, so both hosts run the same pipeline (a test checks the names).
/// One-line adapters because the class-based source generator (Microsoft.DurableTask.Generators) is not available.
/// </summary>
public sealed class PipelineFunctions(
    IngestDataset ingest,
    QuarantineDrop quarantine,
    RunSweepTrial sweepTrial,
    DispatchSweepTrial dispatchSweepTrial,
    RecordSweep recordSweep,
    TrainCandidate train,
    DispatchGpuTraining dispatch,
    EvaluateCandidate evaluate,
    RegisterModel register,
    PromoteModel promote)
{
    [Function(TrainingPipeline.Name)]
    public static Task<PipelineResult> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) => TrainingPipeline.RunAsync(context, context.GetInput<PipelineInput>()!);

    [Function(IngestDataset.Name)]
    public Task<IngestOutcome> Ingest([ActivityTrigger] PipelineInput input, FunctionContext context) => ingest.RunAsync(input, context.CancellationToken);

    [Function(QuarantineDrop.Name)]
    public Task<IngestOutcome> Quarantine([ActivityTrigger] QuarantineRequest request, FunctionContext context) => quarantine.RunAsync(request, context.CancellationToken);

    [Function(RunSweepTrial.Name)]
    public Task<TrialScore> SweepTrial([ActivityTrigger] TrialRequest request, FunctionContext context) => sweepTrial.RunAsync(request, context.CancellationToken);

    [Function(DispatchSweepTrial.Name)]
    public Task<bool> DispatchTrial([ActivityTrigger] TrialRequest request, FunctionContext context) => dispatchSweepTrial.RunAsync(request, context.CancellationToken);

    [Function(RecordSweep.Name)]
    public Task<bool> Record([ActivityTrigger] SweepRecordRequest request, FunctionContext context) => recordSweep.RunAsync(request, context.CancellationToken);

    [Function(TrainCandidate.Name)]
    public Task<TrainOutcome> Train([ActivityTrigger] TrainRequest request, FunctionContext context) => train.RunAsync(request, context.CancellationToken);

    [Function(DispatchGpuTraining.Name)]
    public Task<bool> Dispatch([ActivityTrigger] TrainRequest request, FunctionContext context) => dispatch.RunAsync(request, context.CancellationToken);

    [Function(EvaluateCandidate.Name)]
    public Task<EvaluationOutcome> Evaluate([ActivityTrigger] EvaluateRequest request, FunctionContext context) => evaluate.RunAsync(request, context.CancellationToken);

    [Function(RegisterModel.Name)]
    public Task<int> Register([ActivityTrigger] RegisterRequest request, FunctionContext context) => register.RunAsync(request, context.CancellationToken);

    [Function(PromoteModel.Name)]
    public Task<PromoteOutcome> Promote([ActivityTrigger] PromoteRequest request, FunctionContext context) => promote.RunAsync(request, context.CancellationToken);
}
