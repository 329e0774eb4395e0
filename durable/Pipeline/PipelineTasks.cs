using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Durable.Pipeline;

/// <summary>
/// The one list of orchestrations and activities. The local host registers it with <see cref="Register"/>;
/// the Functions project has one thin trigger per entry (a test checks they match).
/// </summary>
public static class PipelineTasks
{
    public const string Ingest = "IngestDataset";
    public const string Train = "TrainCandidate";
    public const string Evaluate = "EvaluateCandidate";
    public const string Register = "RegisterModel";
    public const string Promote = "PromoteModel";
    public const string DispatchTraining = "DispatchGpuTraining";
    public const string QuarantineDrop = "QuarantineDrop";

    public static readonly IReadOnlyList<string> Orchestrations = [TrainingPipeline.Name];

    public static readonly IReadOnlyList<string> Activities = [Ingest, QuarantineDrop, Train, DispatchTraining, Evaluate, Register, Promote];

    public static void AddPipelineTasks(this DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<PipelineInput, PipelineResult>(TrainingPipeline.Name, TrainingPipeline.RunAsync);
        Add<PipelineInput, IngestOutcome>(registry, Ingest, (a, i, ct) => a.IngestAsync(i, ct));
        Add<QuarantineRequest, IngestOutcome>(registry, QuarantineDrop, (a, i, ct) => a.QuarantineDropAsync(i, ct));
        Add<TrainRequest, TrainOutcome>(registry, Train, (a, i, ct) => a.TrainAsync(i, ct));
        Add<TrainRequest, bool>(registry, DispatchTraining, (a, i, ct) => a.DispatchTrainingAsync(i, ct));
        Add<RunRef, EvaluationOutcome>(registry, Evaluate, (a, i, ct) => a.EvaluateAsync(i, ct));
        Add<RegisterRequest, int>(registry, Register, (a, i, ct) => a.RegisterAsync(i, ct));
        Add<PromoteRequest, PromoteOutcome>(registry, Promote, (a, i, ct) => a.PromoteAsync(i, ct));
    }

    private static void Add<TIn, TOut>(DurableTaskRegistry registry, string name, Func<PipelineActivities, TIn, CancellationToken, Task<TOut>> body) =>
        registry.AddActivity(name, sp => new ServiceActivity<TIn, TOut>(sp.GetRequiredService<PipelineActivities>(), body));

    /// <summary>Adapts a <see cref="PipelineActivities"/> method to the worker's activity shape.</summary>
    private sealed class ServiceActivity<TIn, TOut>(PipelineActivities activities, Func<PipelineActivities, TIn, CancellationToken, Task<TOut>> body)
        : TaskActivity<TIn, TOut>
    {
        public override Task<TOut> RunAsync(TaskActivityContext context, TIn input) => body(activities, input, CancellationToken.None);
    }
}
