using Serverless.Core.Storage;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Tests.Shared;
using Xunit.Abstractions;

namespace Serverless.Core.Tests.Training.Remote;

/// <summary>Replicas as threads exchanging gradients through real blobs (Azurite); the process-level tests are in Serverless.Trainer.Tests.</summary>
public sealed class BlobReplicaExchangeTests(ITestOutputHelper output)
{
    // As DataParallelTests: replicas change only the order in which per-row gradients are added.
    private const float Tolerance = 1e-4f;
    private const int Steps = 12;
    private const int Rows = 512;

    private static readonly MlpLayout Layout = new(6, 2, 24, 3, MlpLoss.SoftmaxCrossEntropy);
    private static readonly ReplicaSyncOptions Sync = new() { PollInterval = TimeSpan.FromMilliseconds(5), RoundTimeout = TimeSpan.FromSeconds(30) };
    private readonly (float[] X, float[] Y) _data = Data();

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Replicas_synchronised_through_blobs_reach_the_one_worker_weights(int replicas)
    {
        var runs = await RunsAsync();
        var run = Azurite.UniqueModel("sync");
        var one = Train(new CpuMlpCompute(), null);

        var exchanges = await Task.WhenAll(Enumerable.Range(0, replicas).Select(i => BlobReplicaExchange.OpenAsync(runs, "m", run, i, replicas, Sync, TimeProvider.System, default)));
        var results = await Task.WhenAll(exchanges.Select(e => Task.Factory.StartNew(() => Train(new CpuMlpCompute(), e), TaskCreationOptions.LongRunning)));

        var maxDelta = one.Zip(results[0], (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"replicas {replicas}: max |Δw| vs one worker {maxDelta:E2} after {Steps} steps");
        Assert.True(maxDelta <= Tolerance, $"{maxDelta}");
        Assert.All(results, r => Assert.Equal(results[0], r)); // bit-identical across replicas
        Assert.Equal(Steps * replicas, await runs.GetBlobsAsync(new() { Prefix = BlobLayout.RunSyncPrefix("m", run) }).CountAsync());
    }

    [Fact]
    public async Task A_restarted_replica_replays_its_stored_rounds_without_recomputing_and_ends_identical()
    {
        var runs = await RunsAsync();
        var run = Azurite.UniqueModel("resume");
        var exchanges = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => BlobReplicaExchange.OpenAsync(runs, "m", run, i, 2, Sync, TimeProvider.System, default)));
        var results = await Task.WhenAll(exchanges.Select(e => Task.Factory.StartNew(() => Train(new CpuMlpCompute(), e), TaskCreationOptions.LongRunning)));

        // Replica 1 again, as a new job execution would run it: every round is stored, so nothing is computed.
        var again = await BlobReplicaExchange.OpenAsync(runs, "m", run, 1, 2, Sync, TimeProvider.System, default);
        Assert.Equal(Steps - 1, again.ResumedAfterRound);
        var counting = new CountingCompute();
        Assert.Equal(results[1], Train(counting, again));
        Assert.Equal(0, counting.RowsComputed);
    }

    [Fact]
    public async Task A_restarted_replica_starts_from_the_latest_checkpoint_and_replays_only_the_rounds_after_it()
    {
        var runs = await RunsAsync();
        var run = Azurite.UniqueModel("checkpoint");
        var sync = Sync with { CheckpointEveryEpochs = 2, RoundTimeout = TimeSpan.FromSeconds(5) };
        var hp = new MlpHyperparameters(HiddenLayers: 2, HiddenUnits: 24, LearningRate: 0.01, BatchSize: 100, Epochs: 4, Patience: 4);
        MlpFitResult Fit(IMlpCompute compute, IReplicaExchange exchange)
        {
            using (compute) return MlpFit.Run(compute, Layout, hp, 9, _data.X[..(400 * Layout.Inputs)], _data.Y[..400], _data.X[(400 * Layout.Inputs)..], _data.Y[400..], default, exchange: exchange);
        }

        var exchanges = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => BlobReplicaExchange.OpenAsync(runs, "m", run, i, 2, sync, TimeProvider.System, default)));
        var fits = await Task.WhenAll(exchanges.Select(e => Task.Factory.StartNew(() => Fit(new CpuMlpCompute(), e), TaskCreationOptions.LongRunning)));
        Assert.True(await runs.GetBlobClient(BlobLayout.RunSyncCheckpoint("m", run)).ExistsAsync());

        // 400 rows in batches of 100: 4 rounds per epoch. Without rounds 0–7 (epochs 1–2) only the epoch-2
        // checkpoint can bring a restarted replica to round 8.
        await foreach (var blob in runs.GetBlobsAsync(new() { Prefix = BlobLayout.RunSyncPrefix("m", run) }))
        {
            if (string.CompareOrdinal(blob.Name, BlobLayout.RunSyncRound("m", run, 8)) < 0 && blob.Name.Contains("/sync/r", StringComparison.Ordinal)) await runs.DeleteBlobAsync(blob.Name);
        }

        var again = await BlobReplicaExchange.OpenAsync(runs, "m", run, 1, 2, sync, TimeProvider.System, default);
        Assert.Equal(15, again.ResumedAfterRound);
        var counting = new CountingCompute();
        var resumed = Fit(counting, again);
        Assert.Equal(fits[1].Parameters, resumed.Parameters);
        Assert.Equal(fits[1].ValidationLoss, resumed.ValidationLoss);
        Assert.Equal(4, resumed.EpochsRun);
        Assert.Equal(0, counting.RowsComputed);
    }

    [Fact]
    public async Task With_K_local_steps_per_round_replicas_average_weights_stay_identical_and_a_restart_replays_exactly()
    {
        var runs = await RunsAsync();
        var run = Azurite.UniqueModel("local-sgd");
        var sync = Sync with { CheckpointEveryEpochs = 1000 }; // no checkpoint: the restart replays every round
        var hp = new MlpHyperparameters(HiddenLayers: 2, HiddenUnits: 24, LearningRate: 0.01, BatchSize: 100, Epochs: 3, Patience: 3, RoundSteps: 3);
        MlpFitResult Fit(IMlpCompute compute, IReplicaExchange? exchange)
        {
            using (compute) return MlpFit.Run(compute, Layout, hp, 9, _data.X[..(400 * Layout.Inputs)], _data.Y[..400], _data.X[(400 * Layout.Inputs)..], _data.Y[400..], default, exchange: exchange);
        }

        var exchanges = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => BlobReplicaExchange.OpenAsync(runs, "m", run, i, 2, sync, TimeProvider.System, default)));
        var fits = await Task.WhenAll(exchanges.Select(e => Task.Factory.StartNew(() => Fit(new CpuMlpCompute(), e), TaskCreationOptions.LongRunning)));
        var single = Fit(new CpuMlpCompute(), null);

        // 4 steps per epoch: a round of 3 and the epoch's flush of 1, so 2 rounds an epoch instead of 4.
        Assert.Equal(3 * 2 * 2, await runs.GetBlobsAsync(new() { Prefix = BlobLayout.RunSyncPrefix("m", run) }).CountAsync());
        Assert.Equal(fits[0].Parameters, fits[1].Parameters);
        Assert.Equal(fits[0].ValidationLoss, fits[1].ValidationLoss);
        output.WriteLine($"validation loss per epoch, 2 replicas K=3: {string.Join(", ", fits[0].ValidationLoss.Select(l => l.ToString("F5")))}; one worker: {string.Join(", ", single.ValidationLoss.Select(l => l.ToString("F5")))}");

        // Not the single-worker trajectory (local steps on half batches), but a validation loss within 10 % of it.
        Assert.NotEqual(single.Parameters, fits[0].Parameters);
        Assert.InRange(fits[0].ValidationLoss[^1], single.ValidationLoss[^1] * 0.9, single.ValidationLoss[^1] * 1.1);

        var again = await BlobReplicaExchange.OpenAsync(runs, "m", run, 1, 2, sync, TimeProvider.System, default);
        var counting = new CountingCompute();
        var resumed = Fit(counting, again);
        Assert.Equal(fits[1].Parameters, resumed.Parameters);
        Assert.Equal(fits[1].ValidationLoss, resumed.ValidationLoss);
        Assert.Equal(0, counting.RowsComputed);
    }

    [Fact]
    public async Task A_round_a_replica_never_joins_fails_within_the_timeout_naming_it()
    {
        var runs = await RunsAsync();
        var exchange = await BlobReplicaExchange.OpenAsync(runs, "m", Azurite.UniqueModel("timeout"), 0, 3, Sync with { RoundTimeout = TimeSpan.FromMilliseconds(300) }, TimeProvider.System, default);
        var e = Assert.Throws<TimeoutException>(() => Train(new CpuMlpCompute(), exchange));
        Assert.Contains("Round 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("replica(s) 1, 2 of 3 never contributed", e.Message, StringComparison.Ordinal);
    }

    private float[] Train(IMlpCompute compute, IReplicaExchange? exchange)
    {
        using (compute)
        using (var step = new DataParallelStep(compute, Layout, Layout.InitialParameters(9), 1, batchSize: 100, learningRate: 0.01, l2: 1e-4, exchange))
        {
            var order = Enumerable.Range(0, Rows).ToArray();

            // Odd batch sizes leave uneven shares.
            for (var s = 0; s < Steps; s++) step.Step(_data.X, _data.Y, order.AsSpan((s * 23) % 400, 97));
            return step.Parameters.ToArray();
        }
    }

    private static (float[] X, float[] Y) Data()
    {
        var rng = new Random(11);
        return (Enumerable.Range(0, Rows * Layout.Inputs).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray(),
            Enumerable.Range(0, Rows).Select(_ => (float)rng.Next(3)).ToArray());
    }

    private static async Task<Azure.Storage.Blobs.BlobContainerClient> RunsAsync()
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(default);
        return storage.Runs;
    }

    /// <summary>Plain C# compute that counts the rows it was asked to compute gradients for.</summary>
    private sealed class CountingCompute : IMlpCompute
    {
        private readonly CpuMlpCompute _cpu = new();
        private int _rows;

        public int RowsComputed => _rows;

        public string Device => _cpu.Device;

        public IMlpWorker CreateWorker(MlpLayout layout, int maxRows) => new Worker(_cpu.CreateWorker(layout, maxRows), this);

        public void Dispose() => _cpu.Dispose();

        private sealed class Worker(IMlpWorker inner, CountingCompute owner) : IMlpWorker
        {
            public double ComputeGradients(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, ReadOnlyMemory<float> targets, int rows, Memory<float> gradients)
            {
                Interlocked.Add(ref owner._rows, rows);
                return inner.ComputeGradients(parameters, features, targets, rows, gradients);
            }

            public void Forward(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, int rows, Memory<float> outputs) => inner.Forward(parameters, features, rows, outputs);

            public void Dispose() => inner.Dispose();
        }
    }
}
