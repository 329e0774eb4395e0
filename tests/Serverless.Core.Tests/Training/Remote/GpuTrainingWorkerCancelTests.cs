using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Core.Tests.Training.Mlp;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Training.Remote;

/// <summary><c>POST /api/runs/{id}/cancel</c> as the trainer job sees it: the run's <c>canceled.json</c>.</summary>
public sealed class GpuTrainingWorkerCancelTests
{
    private readonly GpuTrainingWorkerOptions _options = new()
    {
        RequestsQueue = $"gpu-req-{Guid.NewGuid():N}"[..24],
        ResultsQueue = $"gpu-res-{Guid.NewGuid():N}"[..24],
        VisibilityTimeout = TimeSpan.FromSeconds(1),
    };

    [Fact(Timeout = 120_000)]
    public async Task A_run_canceled_while_it_trains_stops_without_answering_and_its_request_is_deleted()
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(default);
        var artifacts = new RunArtifacts(storage);
        var worker = new GpuTrainingWorker(Queues(), artifacts, () => new CpuMlpCompute(), NullLogger<GpuTrainingWorker>.Instance, _options);
        await worker.EnsureQueuesAsync(default);

        // Far more epochs than the test lasts: only the cancel can end this training.
        var model = Azurite.UniqueModel("gpu-cancel");
        var spec = MlpTestSpecs.Spec(ModelTask.Binary, epochs: 1_000_000, patience: 1_000_000);
        var data = SyntheticData.Create(ModelTask.Binary, rows: 2000);
        using var parquet = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, parquet, default);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(parquet.ToArray()));
        await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, sha)).UploadAsync(new BinaryData(parquet.ToArray()), overwrite: true);
        await artifacts.WriteSpecAsync(model, "run-1", spec, default);
        var requests = Queues().GetQueueClient(_options.RequestsQueue);
        await requests.SendMessageAsync(JsonSerializer.Serialize(new GpuTrainingRequest("run-1", model, sha, DateTimeOffset.UtcNow), PlatformJson.Options));

        var processing = worker.ProcessOneAsync(default);
        await Eventually.TrueAsync(async () => (await requests.PeekMessagesAsync(1)).Value.Length == 0, TimeSpan.FromSeconds(30), "the worker to take the request");
        Assert.False(processing.IsCompleted);
        await BlobJson.UploadAsync(storage.Runs.GetBlobClient(BlobLayout.RunCanceled(model, "run-1")), new { at = DateTimeOffset.UnixEpoch }, default);

        await Eventually.TrueAsync(() => Task.FromResult(processing.IsCompleted), TimeSpan.FromSeconds(60), "the canceled training to stop");
        Assert.True(await processing);
        Assert.Empty((await Queues().GetQueueClient(_options.ResultsQueue).PeekMessagesAsync(32)).Value);
        Assert.Equal(0, (await requests.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.False(await storage.Runs.GetBlobClient(BlobLayout.RunTraining(model, "run-1")).ExistsAsync());
    }

    private static QueueServiceClient Queues() => new(Azurite.ConnectionString, StorageClients.QueueOptions());
}
