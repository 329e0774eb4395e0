using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Durable.Pipeline;

namespace Serverless.Functions.Pipeline;

/// <summary>
/// The Functions face of <see cref="PipelineTasks"/>: one orchestration and one activity trigger per entry, each
/// delegating to the code the local host registers, so both hosts run the same pipeline (a test checks the names).
/// </summary>
public sealed class PipelineFunctions(PipelineActivities activities)
{
    [Function(TrainingPipeline.Name)]
    public static Task<PipelineResult> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) =>
        TrainingPipeline.RunAsync(context, context.GetInput<PipelineInput>()!);

    [Function(PipelineTasks.Ingest)]
    public Task<IngestOutcome> Ingest([ActivityTrigger] PipelineInput input, FunctionContext context) =>
        activities.IngestAsync(input, context.CancellationToken);

    [Function(PipelineTasks.QuarantineDrop)]
    public Task<IngestOutcome> QuarantineDrop([ActivityTrigger] QuarantineRequest request, FunctionContext context) =>
        activities.QuarantineDropAsync(request, context.CancellationToken);

    [Function(PipelineTasks.Train)]
    public Task<TrainOutcome> Train([ActivityTrigger] TrainRequest request, FunctionContext context) =>
        activities.TrainAsync(request, context.CancellationToken);

    [Function(PipelineTasks.DispatchTraining)]
    public Task<bool> DispatchTraining([ActivityTrigger] TrainRequest request, FunctionContext context) =>
        activities.DispatchTrainingAsync(request, context.CancellationToken);

    [Function(PipelineTasks.Evaluate)]
    public Task<EvaluationOutcome> Evaluate([ActivityTrigger] RunRef run, FunctionContext context) =>
        activities.EvaluateAsync(run, context.CancellationToken);

    [Function(PipelineTasks.Register)]
    public Task<int> Register([ActivityTrigger] RegisterRequest request, FunctionContext context) =>
        activities.RegisterAsync(request, context.CancellationToken);

    [Function(PipelineTasks.Promote)]
    public Task<PromoteOutcome> Promote([ActivityTrigger] PromoteRequest request, FunctionContext context) =>
        activities.PromoteAsync(request, context.CancellationToken);
}
