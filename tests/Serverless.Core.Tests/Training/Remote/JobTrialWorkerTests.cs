using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Core.Training.Sweeps;
using Serverless.Core.Tests.Training.Mlp;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Training.Remote;

/// <summary>Sweep trials on the trainer job's worker, against real Azurite: one message per trial, its score stored before it answers.</summary>
public sealed class JobTrialWorkerTests
{
    private readonly CancellationToken _ct = CancellationToken.None;

    private readonly TrainingJobQueues _job = new("trial");

    private int _fits;

    private static ModelSpec SweepSpec() => MlpTestSpecs.Spec(ModelTask.Binary, epochs: 9) with
    {
        Search = new SearchSpec
        {
            Space = new Dictionary<string, SearchDimension> { ["learningRate"] = new(SearchDistribution.LogUniform, Min: 0.001, Max: 0.05) },
            Trials = 3,
            Strategy = SearchStrategy.Asha,
        },
    };

    [Fact]
    public async Task A_trial_answers_its_score_under_its_event_and_a_redelivered_one_returns_the_stored_score_without_fitting()
    {
        var (worker, artifacts, storage) = await StartAsync();
        var model = Azurite.UniqueModel("trial-job");
        var spec = SweepSpec();
        var sha = await TrainingJobQueues.PrepareRunAsync(storage, artifacts, model, "run-1", spec, SyntheticData.Create(ModelTask.Binary, rows: 400));
        var book = new SweepBook(spec);
        var request = new GpuTrainingRequest("run-1", model, sha, DateTimeOffset.UtcNow, Trial: new JobTrial(2, 1, book.Parameters(2, 1)));

        await _job.EnqueueAsync(request);
        Assert.True(await worker.ProcessOneAsync(_ct));
        var first = await _job.ResultForAsync(model);
        Assert.True(first.Succeeded, first.Error);
        Assert.Null(first.Training);
        Assert.Equal(GpuQueues.TrialEvent(2, 1), GpuQueues.EventFor(first));
        var score = first.Trial!;
        Assert.Equal((2, 1, TrainingPlacement.Job, CpuMlpCompute.DeviceName), (score.Trial, score.Rung, score.Where, score.Device));
        Assert.InRange(score.Metric!.Value, 0.5, 1.0);
        Assert.Equal(1, _fits);
        Assert.Equal(score, await BlobJson.TryDownloadAsync<TrialScore>(storage.Runs.GetBlobClient(SweepBlobs.Trial(model, "run-1", 2, 1)), _ct));

        // The queue delivers the same message again (an execution died after storing the score, before deleting it).
        await _job.EnqueueAsync(request);
        Assert.True(await worker.ProcessOneAsync(_ct));
        Assert.Equal(score, (await _job.ResultForAsync(model)).Trial);
        Assert.Equal(1, _fits);
    }

    [Fact]
    public async Task A_trial_whose_score_was_stored_before_a_crash_is_not_refit()
    {
        var (worker, artifacts, storage) = await StartAsync();
        var model = Azurite.UniqueModel("trial-crash");
        var spec = SweepSpec();
        var sha = await TrainingJobQueues.PrepareRunAsync(storage, artifacts, model, "run-1", spec, SyntheticData.Create(ModelTask.Binary, rows: 300));

        // What the crashed execution stored: a score no fit of this data would give.
        var stored = new TrialScore(0, 0, 0.123, 4.5, Where: TrainingPlacement.Job, Device: "cuda");
        await BlobJson.UploadAsync(storage.Runs.GetBlobClient(SweepBlobs.Trial(model, "run-1", 0, 0)), stored, _ct);

        await _job.EnqueueAsync(new GpuTrainingRequest("run-1", model, sha, DateTimeOffset.UtcNow, Trial: new JobTrial(0, 0, new SweepBook(spec).Parameters(0, 0))));
        Assert.True(await worker.ProcessOneAsync(_ct));

        Assert.Equal(stored, (await _job.ResultForAsync(model)).Trial);
        Assert.Equal(0, _fits);
        Assert.False(await worker.ProcessOneAsync(_ct)); // answered and deleted
    }

    [Fact]
    public async Task A_failing_trial_answers_a_failed_score_under_its_event()
    {
        var (worker, artifacts, _) = await StartAsync();
        var model = Azurite.UniqueModel("trial-fail");
        await artifacts.WriteSpecAsync(model, "run-1", SweepSpec(), _ct);

        await _job.EnqueueAsync(new GpuTrainingRequest("run-1", model, new string('0', 64), DateTimeOffset.UtcNow, Trial: new JobTrial(1, 0, new Dictionary<string, double> { ["learningRate"] = 0.01 })));
        Assert.True(await worker.ProcessOneAsync(_ct));

        var result = await _job.ResultForAsync(model);
        Assert.False(result.Succeeded);
        Assert.Equal(GpuQueues.TrialEvent(1, 0), GpuQueues.EventFor(result));
        Assert.Null(result.Trial!.Metric);
        Assert.Contains("BlobNotFound", result.Trial.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_training_request_with_hyperparameters_trains_those_not_the_frozen_specs()
    {
        var (worker, artifacts, storage) = await StartAsync();
        var model = Azurite.UniqueModel("trial-refit");
        var spec = SweepSpec();
        var sha = await TrainingJobQueues.PrepareRunAsync(storage, artifacts, model, "run-1", spec, SyntheticData.Create(ModelTask.Binary, rows: 300));
        var tuned = SweepBook.WithParameters(spec, new Dictionary<string, double> { ["learningRate"] = 0.0123, ["epochs"] = 3 }).Trainer.Hyperparameters;

        await _job.EnqueueAsync(new GpuTrainingRequest("run-1", model, sha, DateTimeOffset.UtcNow, Hyperparameters: tuned));
        Assert.True(await worker.ProcessOneAsync(_ct));

        var result = await _job.ResultForAsync(model);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("0.0123", result.Training!.TrainerParameters["learningRate"]);
        Assert.Equal("3", result.Training.TrainerParameters["epochs"]);
        Assert.Equal("16", result.Training.TrainerParameters["hiddenUnits"]);
    }

    private Task<(GpuTrainingWorker Worker, RunArtifacts Artifacts, PlatformStorage Storage)> StartAsync() =>
        _job.StartAsync(() =>
        {
            Interlocked.Increment(ref _fits);
            return new CpuMlpCompute();
        });
}
