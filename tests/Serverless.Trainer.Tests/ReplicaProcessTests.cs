using System.Text.Json;
using Azure.Storage.Queues;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Core.Tests.Training;
using Serverless.Tests.Shared;
using Xunit.Abstractions;

namespace Serverless.Trainer.Tests;

/// <summary>
/// Multi-replica MLP runs as the job runs them: N trainer processes on one private Azurite, each taking one replica's
/// request and exchanging gradients through blobs. The model must be the one a single worker trains on the same steps.
/// </summary>
public sealed class ReplicaProcessTests(ITestOutputHelper output)
{
    // Replicas change only the order in which per-row gradient sums are added (~1e-7 relative per step); Adam carries
    // that through at about lr × relative error per step, so after ~90 steps at lr 0.01 the probabilities of the same
    // rows stay within 1e-4 (measured ~1e-6).
    private const double Tolerance = 1e-4;
    private const int Epochs = 10;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly string _requests = $"rep-req-{Guid.NewGuid():N}"[..24];
    private readonly string _results = $"rep-res-{Guid.NewGuid():N}"[..24];

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task N_replica_processes_train_the_single_worker_model(int replicas)
    {
        var run = await PrepareAsync(replicas);
        var processes = Enumerable.Range(0, replicas).Select(i => Trainer($"replica-process-{i}")).ToList();
        try
        {
            await AssertSameAsSingleWorkerAsync(run, replicas, processes);
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task A_replica_process_killed_mid_run_is_replaced_and_the_run_completes_with_the_same_model()
    {
        const int replicas = 2;
        var run = await PrepareAsync(replicas);
        var processes = Enumerable.Range(0, replicas).Select(i => Trainer($"replica-process-{i}")).ToList();
        try
        {
            // Once the replicas are a few rounds in, one dies; its request reappears after the visibility timeout
            // and a new process (what KEDA would start for it) takes it, replays the stored rounds and carries on.
            await Eventually.TrueAsync(
                async () => await run.Storage.Runs.GetBlobClient(BlobLayout.RunSyncContribution(run.Model, run.RunId, 3, 0)).ExistsAsync(),
                Deadline, "round 3 of the replicas");
            processes[0].Kill();
            Assert.False(await run.Storage.Runs.GetBlobClient(BlobLayout.RunSyncContribution(run.Model, run.RunId, run.Rounds - 1, 0)).ExistsAsync(), "the run ended before the kill");
            processes.Add(Trainer("replacement"));

            await AssertSameAsSingleWorkerAsync(run, replicas, processes);
            Assert.True(processes[^1].Logged("resumes: replaying rounds"), processes[^1].Output);
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
        }
    }

    private sealed record Run(PlatformStorage Storage, RunArtifacts Artifacts, string Model, string RunId, ModelSpec Spec, TabularDataset Data, int Rounds);

    private static ModelSpec Spec(int replicas) =>
        SyntheticData.Spec(ModelTask.Binary, TrainerKind.Mlp) with
        {
            Trainer = new TrainerSpec(TrainerKind.Mlp, Hyperparameters: new Dictionary<string, double>
            {
                ["hiddenLayers"] = 2, ["hiddenUnits"] = 16, ["learningRate"] = 0.01, ["batchSize"] = 48,
                ["epochs"] = Epochs, ["patience"] = Epochs, ["replicas"] = replicas,
            }),
        };

    private async Task<Run> PrepareAsync(int replicas)
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(default);
        var artifacts = new RunArtifacts(storage);
        var model = Azurite.UniqueModel("replicas");
        var spec = Spec(replicas);
        var data = SyntheticData.Create(ModelTask.Binary, rows: 600);

        using var parquet = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, parquet, default);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(parquet.ToArray()));
        await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, sha)).UploadAsync(new BinaryData(parquet.ToArray()), overwrite: true);
        await artifacts.WriteSpecAsync(model, "run-1", spec, default);

        var requests = Queues().GetQueueClient(_requests);
        await requests.CreateIfNotExistsAsync();
        await Queues().GetQueueClient(_results).CreateIfNotExistsAsync();
        for (var i = 0; i < replicas; i++)
        {
            await requests.SendMessageAsync(JsonSerializer.Serialize(new GpuTrainingRequest("run-1", model, sha, DateTimeOffset.UtcNow, i, replicas), PlatformJson.Options));
        }

        // 600 rows − 20 % holdout − 10 % validation = 432 fit rows: 9 batches of 48 per epoch.
        return new Run(storage, artifacts, model, "run-1", spec, data, Epochs * 9);
    }

    private TrainerProcess Trainer(string name) => TrainerProcess.Start(name,
    [
        $"--AzureWebJobsStorage={Azurite.ConnectionString}",
        "--Trainer:Device=cpu",
        "--Trainer:ExitWhenIdle=false",
        $"--Trainer:RequestsQueue={_requests}",
        $"--Trainer:ResultsQueue={_results}",
        "--Trainer:PollInterval=00:00:00.100",
        "--Trainer:VisibilityTimeout=00:00:03",
        "--Trainer:Sync:PollInterval=00:00:00.005",
        "--Trainer:Sync:RoundTimeout=00:01:00",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Serverless=Information",
    ]);

    private async Task AssertSameAsSingleWorkerAsync(Run run, int replicas, List<TrainerProcess> processes)
    {
        var results = Queues().GetQueueClient(_results);
        GpuTrainingResult result;
        try
        {
            result = await Eventually.UntilAsync(
                async () => (await results.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value is [{ } m]
                    ? JsonSerializer.Deserialize<GpuTrainingResult>(m.Body, PlatformJson.Options)
                    : null,
                Deadline, "the run's result");
        }
        catch (TimeoutException)
        {
            output.WriteLine(string.Join('\n', processes.Select(p => p.Output)));
            throw;
        }

        Assert.True(result.Succeeded, result.Error + "\n" + string.Join('\n', processes.Select(p => p.Output)));
        Assert.Equal(replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Training!.TrainerParameters["replicas"]);
        Assert.Equal(Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Training.TrainerParameters["epochsRun"]);

        // Every replica answered its request (the queue empties) and the run's result was posted once.
        var requests = Queues().GetQueueClient(_requests);
        await Eventually.TrueAsync(async () => (await requests.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Deadline, "every replica's request answered");
        Assert.Empty((await results.PeekMessagesAsync(32)).Value);

        // The single worker on the same spec, data and steps, in this process.
        var single = new MlpTrainer().Train(Spec(1), run.Data, new CpuMlpCompute());
        var holdout = await run.Artifacts.ReadHoldoutAsync(run.Model, run.RunId, default);
        using var expected = new OnnxModel(single.Onnx);
        using var actual = new OnnxModel(await run.Artifacts.ReadCandidateAsync(run.Model, run.RunId, default));
        var delta = expected.Predict(holdout).Zip(actual.Predict(holdout), (e, a) => Math.Abs((double)e.Score! - (double)a.Score!)).Max();
        output.WriteLine($"{replicas} replica processes: max |Δ score| vs one worker over {holdout.RowCount} holdout rows = {delta:E2}");
        Assert.True(delta <= Tolerance, $"max |Δ score| {delta}");
        Assert.Equal(run.Rounds * replicas, await run.Storage.Runs.GetBlobsAsync(new() { Prefix = BlobLayout.RunSyncPrefix(run.Model, run.RunId) }).CountAsync(b => System.Text.RegularExpressions.Regex.IsMatch(b.Name, @"/sync/r\d+/\d+$")));
        Assert.True(await run.Storage.Runs.GetBlobClient(BlobLayout.RunSyncCheckpoint(run.Model, run.RunId)).ExistsAsync());
    }

    private static QueueServiceClient Queues() => new(Azurite.ConnectionString, StorageClients.QueueOptions());
}
