using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Training.Remote;

/// <summary>
/// The trainer job's worker on real Azurite with request and result queues of one test class's own (a local host under
/// test in the same Azurite serves the real ones): prepare a run, enqueue a request, read the result it posts.
/// </summary>
internal sealed class TrainingJobQueues(string prefix)
{
    public GpuTrainingWorkerOptions Options { get; } = new()
    {
        RequestsQueue = $"{prefix}-req-{Guid.NewGuid():N}"[..24],
        ResultsQueue = $"{prefix}-res-{Guid.NewGuid():N}"[..24],
    };

    public static QueueServiceClient Queues() => new(Azurite.ConnectionString, StorageClients.QueueOptions());

    /// <summary>A worker over these queues and the run artifacts it writes; <paramref name="compute"/> defaults to the CPU MLP.</summary>
    public async Task<(GpuTrainingWorker Worker, RunArtifacts Artifacts, PlatformStorage Storage)> StartAsync(Func<IMlpCompute>? compute = null)
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(CancellationToken.None);
        var artifacts = new RunArtifacts(storage);
        var worker = new GpuTrainingWorker(Queues(), artifacts, compute ?? (() => new CpuMlpCompute()), NullLogger<GpuTrainingWorker>.Instance, Options);
        await worker.EnsureQueuesAsync(CancellationToken.None);
        return (worker, artifacts, storage);
    }

    /// <summary>Stores <paramref name="data"/> as the dataset version the run trains on and the run's frozen spec; returns the version's SHA-256.</summary>
    public static async Task<string> PrepareRunAsync(PlatformStorage storage, RunArtifacts artifacts, string model, string runId, ModelSpec spec, TabularDataset data)
    {
        using var parquet = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, parquet, CancellationToken.None);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(parquet.ToArray()));
        await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, sha)).UploadAsync(new BinaryData(parquet.ToArray()), overwrite: true, CancellationToken.None);
        await artifacts.WriteSpecAsync(model, runId, spec, CancellationToken.None);
        return sha;
    }

    public Task EnqueueAsync(GpuTrainingRequest request) =>
        Queues().GetQueueClient(Options.RequestsQueue).SendMessageAsync(JsonSerializer.Serialize(request, PlatformJson.Options), CancellationToken.None);

    /// <summary>The result posted for <paramref name="model"/> (removed from the queue).</summary>
    public async Task<GpuTrainingResult> ResultForAsync(string model)
    {
        var results = Queues().GetQueueClient(Options.ResultsQueue);
        foreach (var m in (await results.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), CancellationToken.None)).Value)
        {
            var r = JsonSerializer.Deserialize<GpuTrainingResult>(m.Body, PlatformJson.Options)!;
            if (r.Model != model) continue;
            await results.DeleteMessageAsync(m.MessageId, m.PopReceipt, CancellationToken.None);
            return r;
        }

        throw new Xunit.Sdk.XunitException($"No result for {model}.");
    }
}
