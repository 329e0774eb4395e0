using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.Core.FeatureStore;
using Serverless.Core.Runs;
using Serverless.Durable.Pipeline.Features;
using Serverless.Durable.Pipeline.Activities;

namespace Serverless.Durable.Pipeline;

/// <summary>
/// The one list of orchestrations and activities (each activity's class holds its task name). The local host registers
/// it with <see cref="AddPipelineTasks"/>; the Functions project has one thin trigger per entry (a test checks they match).
/// </summary>
public static class PipelineTasks
{
    public static readonly IReadOnlyList<string> Orchestrations = [TrainingPipeline.Name, FeatureMaterialization.Name];

    public static readonly IReadOnlyList<string> Activities =
        [IngestDataset.Name, QuarantineDrop.Name, RunSweepTrial.Name, DispatchSweepTrial.Name, RecordSweep.Name, TrainCandidate.Name, DispatchGpuTraining.Name, EvaluateCandidate.Name, RegisterModel.Name, PromoteModel.Name, LaunchRelease.Name, MaterializeFeatureView.Name];

    public static void AddPipelineTasks(this DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<PipelineInput, PipelineResult>(TrainingPipeline.Name, TrainingPipeline.RunAsync);
        Add<IngestDataset>(registry, IngestDataset.Name);
        Add<QuarantineDrop>(registry, QuarantineDrop.Name);
        Add<RunSweepTrial>(registry, RunSweepTrial.Name);
        Add<DispatchSweepTrial>(registry, DispatchSweepTrial.Name);
        Add<RecordSweep>(registry, RecordSweep.Name);
        Add<TrainCandidate>(registry, TrainCandidate.Name);
        Add<DispatchGpuTraining>(registry, DispatchGpuTraining.Name);
        Add<EvaluateCandidate>(registry, EvaluateCandidate.Name);
        Add<RegisterModel>(registry, RegisterModel.Name);
        Add<PromoteModel>(registry, PromoteModel.Name);
        Add<LaunchRelease>(registry, LaunchRelease.Name);
        registry.AddOrchestratorFunc<IReadOnlyList<string>, IReadOnlyList<MaterializationResult>>(FeatureMaterialization.Name, FeatureMaterialization.RunAsync);
        Add<MaterializeFeatureView>(registry, MaterializeFeatureView.Name);
    }

    /// <summary>A fresh activity per call (also used by the batch scoring tasks), cancelled when the host stops (the worker hands activities no token of its own).</summary>
    internal static void Add<T>(DurableTaskRegistry registry, string name)
        where T : class, ITaskActivity, IStoppableActivity =>
        registry.AddActivity(name, sp =>
        {
            var activity = sp.GetRequiredService<T>();
            activity.Stopping = sp.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
            return activity;
        });
}
