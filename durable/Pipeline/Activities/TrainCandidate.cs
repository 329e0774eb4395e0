using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Serverless.Core.FeatureStore;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Training;

namespace Serverless.Durable.Pipeline.Activities;

/// <summary>Fits the run's spec on its snapshot with ML.NET in this process and writes the run's training artifacts.</summary>
public sealed class TrainCandidate(RunArtifacts artifacts, TrainingSetAssembler trainingSets, ILogger<TrainCandidate> logger) : PipelineActivity<TrainRequest, TrainOutcome>
{
    public const string Name = "TrainCandidate";

    protected override string Step => PipelineSteps.Train;

    protected override RunRef Subject(TrainRequest input) => new(input.RunId, input.Model);

    protected override async Task<TrainOutcome> ExecuteAsync(TrainRequest request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var specRead = request.Spec is { } carried ? Task.FromResult(carried) : artifacts.ReadSpecAsync(request.Model, request.RunId, ct);
        var data = await artifacts.ReadDatasetAsync(request.Model, request.DatasetSha256, ct).ConfigureAwait(false);
        var spec = await specRead.ConfigureAwait(false);
        data = await trainingSets.AssembleAsync(spec, data, ct).ConfigureAwait(false);
        var read = Stopwatch.GetElapsedTime(started);
        logger.LogTrainingSet(spec, data);
        var trained = new MlNetTrainer().Train(spec, data, ct);
        var fitted = Stopwatch.GetElapsedTime(started);
        logger.LogFitted(trained, TrainerSpec.Cpu, fitted - read);
        var record = await artifacts.WriteTrainingAsync(request.Model, request.RunId, spec, data, trained, TrainerSpec.Cpu, ct).ConfigureAwait(false);

        // Where the step's time goes, on its span (the training bench reads them).
        Activity.Current?.SetTag("train.read.seconds", read.TotalSeconds);
        Activity.Current?.SetTag("train.train.seconds", (fitted - read).TotalSeconds);
        Activity.Current?.SetTag("train.artifacts.seconds", (Stopwatch.GetElapsedTime(started) - fitted).TotalSeconds);
        logger.LogInformation("Trained {Model} run {RunId}: {Rows} rows in {Seconds:F2} s", request.Model, request.RunId, trained.TrainRows, trained.FitTime.TotalSeconds);
        logger.LogArtifacts(record, Stopwatch.GetElapsedTime(started) - fitted);
        return record.ToOutcome();
    }
}
