using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Core.Tests.Training.Mlp;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Training.Remote;

/// <summary>The worker against real Azurite: queues in, run artifacts and a result message out.</summary>
public sealed class GpuTrainingWorkerTests
{
    private readonly CancellationToken _ct = CancellationToken.None;

    private readonly TrainingJobQueues _job = new("gpu");

    [Fact]
    public async Task Trains_a_prepared_mlp_run_writes_artifacts_and_posts_success()
    {
        var (worker, artifacts, storage) = await _job.StartAsync();
        var model = Azurite.UniqueModel("gpu-ok");
        var spec = MlpTestSpecs.Spec(ModelTask.Binary, epochs: 5);
        var sha = await TrainingJobQueues.PrepareRunAsync(storage, artifacts, model, "run-1", spec, SyntheticData.Create(ModelTask.Binary, rows: 500));

        await _job.EnqueueAsync(new GpuTrainingRequest("run-1", model, sha, DateTimeOffset.UtcNow));
        Assert.True(await worker.ProcessOneAsync(_ct));

        var result = await _job.ResultForAsync(model);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("cpu", result.Training!.Device);
        Assert.Equal("MlpBinary", result.Training.TrainerParameters["trainer"]);
        Assert.Equal(400, result.Training.TrainRows);

        var record = await artifacts.ReadTrainingAsync(model, "run-1", _ct);
        Assert.Equal(result.Training.TrainRows, record.TrainRows);
        using var candidate = new OnnxModel(await artifacts.ReadCandidateAsync(model, "run-1", _ct));
        Assert.Equal(ModelTask.Binary, candidate.Task);
        Assert.Equal(100, (await artifacts.ReadHoldoutAsync(model, "run-1", _ct)).RowCount);
    }

    [Fact]
    public async Task A_missing_dataset_posts_a_failure()
    {
        var (worker, artifacts, storage) = await _job.StartAsync();
        var model = Azurite.UniqueModel("gpu-missing");
        await artifacts.WriteSpecAsync(model, "run-1", MlpTestSpecs.Spec(ModelTask.Binary), _ct);

        await _job.EnqueueAsync(new GpuTrainingRequest("run-1", model, new string('0', 64), DateTimeOffset.UtcNow));
        Assert.True(await worker.ProcessOneAsync(_ct));

        var result = await _job.ResultForAsync(model);
        Assert.False(result.Succeeded);
        Assert.Contains("BlobNotFound", result.Error);
        Assert.Null(result.Training);
        Assert.False(await storage.Runs.GetBlobClient(BlobLayout.RunTraining(model, "run-1")).ExistsAsync(_ct));
    }

    [Fact]
    public async Task A_replica_whose_round_never_completes_fails_the_run_once_naming_the_missing_replica()
    {
        var (_, artifacts, storage) = await _job.StartAsync();
        var worker = new GpuTrainingWorker(TrainingJobQueues.Queues(), artifacts, () => new CpuMlpCompute(), NullLogger<GpuTrainingWorker>.Instance,
            _job.Options with { Sync = new ReplicaSyncOptions { PollInterval = TimeSpan.FromMilliseconds(10), RoundTimeout = TimeSpan.FromMilliseconds(500) } });
        var model = Azurite.UniqueModel("gpu-round");
        var spec = MlpTestSpecs.Spec(ModelTask.Binary, epochs: 2);
        var sha = await TrainingJobQueues.PrepareRunAsync(storage, artifacts, model, "run-1", spec, SyntheticData.Create(ModelTask.Binary, rows: 300));

        // Replica 1 of 2 never starts (no execution took its request).
        await _job.EnqueueAsync(new GpuTrainingRequest("run-1", model, sha, DateTimeOffset.UtcNow, 0, 2));
        Assert.True(await worker.ProcessOneAsync(_ct));

        var result = await _job.ResultForAsync(model);
        Assert.False(result.Succeeded);
        Assert.Contains("Round 0 of the data-parallel run did not complete", result.Error, StringComparison.Ordinal);
        Assert.Contains("replica(s) 1 of 2 never contributed", result.Error, StringComparison.Ordinal);
        Assert.False(await storage.Runs.GetBlobClient(BlobLayout.RunTraining(model, "run-1")).ExistsAsync(_ct));
        Assert.True(await storage.Runs.GetBlobClient(BlobLayout.RunResultClaim(model, "run-1")).ExistsAsync(_ct));
        Assert.False(await worker.ProcessOneAsync(_ct)); // answered and deleted
    }

    [Fact]
    public async Task A_request_dequeued_more_than_three_times_fails_the_run_without_training()
    {
        var (worker, _, _) = await _job.StartAsync();
        var model = Azurite.UniqueModel("gpu-poison");
        await _job.EnqueueAsync(new GpuTrainingRequest("run-1", model, "abc", DateTimeOffset.UtcNow));

        // Three earlier executions that died mid-run: each receive counts, the message stays.
        var requests = TrainingJobQueues.Queues().GetQueueClient(_job.Options.RequestsQueue);
        for (var i = 0; i < 3; i++)
        {
            var m = (await requests.ReceiveMessageAsync(TimeSpan.FromMinutes(1), _ct)).Value;
            await requests.UpdateMessageAsync(m.MessageId, m.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: _ct);
        }

        Assert.True(await worker.ProcessOneAsync(_ct));
        var result = await _job.ResultForAsync(model);
        Assert.False(result.Succeeded);
        Assert.Contains("dequeued 4 times", result.Error);
        Assert.False(await worker.ProcessOneAsync(_ct)); // answered and deleted
    }
}
