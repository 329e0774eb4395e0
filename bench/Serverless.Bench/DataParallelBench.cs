using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Tests.Shared;

namespace Serverless.Bench;

/// <summary>
/// Multi-replica MLP training as the trainer job runs it: N = 1, 2, 4 trainer processes (the trainer's build output,
/// plain C# compute) on a private Azurite, each taking one replica's request and exchanging gradients through blobs
/// every step. Reports seconds per epoch (steady state, replica 0's) and the ratio to N = 1 in the same run. On this
/// 2-core machine one process already spreads each batch over both cores, so more processes cannot be faster: the
/// ratio shows what the storage exchange costs, not the scaling a machine per replica would give.
/// </summary>
internal static class DataParallelBench
{
    public const string Mode = "data-parallel";
    private const string Area = Mode;
    private const int Rows = 150_000;
    private const int Features = 20;
    private const int Epochs = 3;
    private const int BatchSize = 4096;
    private const int LocalSteps = 6;
    private const int Passes = 2;

    // The protocol's own cost, not the default 50 ms polling granularity (chosen for storage transaction cost in Azure).
    private const string PollCap = "00:00:00.005";

    /// <summary>(replicas, local steps per round): synchronous gradient averaging, then rounds of K local steps.</summary>
    private static readonly (int N, int K)[] Configurations = [(1, 1), (2, 1), (4, 1), (2, LocalSteps), (4, LocalSteps)];

    public static async Task<IReadOnlyList<Measurement>> RunAsync()
    {
        // The trainer's own build output (the project reference builds it with the bench): beside the bench's the
        // shared framework the bench runs on supplies assemblies the trainer's runtimeconfig does not ask for.
        var trainer = Path.Combine(AppContext.BaseDirectory.Replace(Path.Combine("bench", "Serverless.Bench"), Path.Combine("containers", "trainer"), StringComparison.Ordinal), "Serverless.Trainer.dll");
        if (!File.Exists(trainer)) return [Measurement.Skipped(Area, "seconds per epoch", $"{trainer} not built")];

        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var storage = new PlatformStorage(new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString));
        await storage.EnsureContainersAsync(default);
        var queues = new QueueServiceClient(azurite.ConnectionString, StorageClients.QueueOptions());
        var artifacts = new RunArtifacts(storage);

        var (spec, data) = Dataset();
        using var parquet = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, parquet, default);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(parquet.ToArray()));
        var steps = (int)Math.Ceiling(Rows * 0.8 * 0.9 / BatchSize);
        Console.WriteLine($"data-parallel: {Rows:N0} rows × {Features} numeric features, MLP 2×128, batch {BatchSize} ({steps} steps per epoch), {Epochs} epochs, trainer processes on a private Azurite");

        // Each configuration twice, interleaved, keeping the faster: the machine is shared, and its load moves
        // between configurations more than the figures being compared.
        var runs = Configurations.ToDictionary(c => c, _ => new List<(double Epoch, double Wall, double Loss)>());
        for (var pass = 1; pass <= Passes; pass++)
        {
            foreach (var (n, k) in Configurations)
            {
                var model = $"dp-{n}-{k}-{pass}";
                await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, sha)).UploadAsync(new BinaryData(parquet.ToArray()), overwrite: true);
                var runSpec = spec with { Trainer = spec.Trainer with { Hyperparameters = new Dictionary<string, double>(spec.Trainer.Hyperparameters!) { ["replicas"] = n, ["roundSteps"] = k } } };
                await artifacts.WriteSpecAsync(model, "run-1", runSpec, default);
                var (result, wall) = await RunOnceAsync(trainer, azurite.ConnectionString, queues, model, sha, n);
                if (result is not { Succeeded: true, Training: { } training })
                {
                    Console.WriteLine($"{Label(n, k)} (pass {pass}) failed: {result?.Error}");
                    continue;
                }

                var epoch = double.Parse(training.TrainerParameters["secondsPerEpoch"], CultureInfo.InvariantCulture);
                var loss = double.Parse(training.TrainerParameters["validationLoss"], CultureInfo.InvariantCulture);
                Console.WriteLine($"{Label(n, k)} (pass {pass}): {epoch:F3} s/epoch, request → result {wall.TotalSeconds:F1} s, validation loss {loss:F5}");
                runs[(n, k)].Add((epoch, wall.TotalSeconds, loss));
            }
        }

        var results = new List<Measurement>();

        // The protocol alone: replicas as threads of this process exchanging this model's gradient with no training
        // between rounds, so the figure is storage round trips (upload, listings, N − 1 downloads), not CPU contention.
        var parameters = new MlpLayout(Features, 2, 128, 1, MlpLoss.BinaryCrossEntropy).ParameterCount;
        foreach (var n in new[] { 2, 4 })
        {
            var perRound = await ExchangeRoundAsync(storage, n, parameters);
            Console.WriteLine($"exchange only, N = {n}: {perRound:F1} ms per round ({parameters:N0} floats)");
            results.Add(new Measurement(Area, $"N = {n}: one exchange round, no training", perRound, " ms",
                Note: $"{parameters:N0}-float gradient ({parameters * 4 / 1024} KiB) per replica; threads of one process, poll cap {TimeSpan.Parse(PollCap, CultureInfo.InvariantCulture).TotalMilliseconds} ms"));
        }

        var single = runs[(1, 1)].Count > 0 ? runs[(1, 1)].Min(r => r.Epoch) : double.NaN;
        foreach (var (n, k) in Configurations)
        {
            var label = Label(n, k);
            if (runs[(n, k)] is not { Count: > 0 } done)
            {
                results.Add(Measurement.Skipped(Area, $"{label}: seconds per epoch", "every run failed (see the log)"));
                continue;
            }

            var best = done.MinBy(r => r.Epoch);
            var rounds = n == 1 ? 0 : (int)Math.Ceiling((double)steps / k);
            results.Add(new Measurement(Area, $"{label} processes: seconds per epoch", best.Epoch, " s",
                Note: $"min of {string.Join(" / ", done.Select(r => r.Epoch.ToString("F2", CultureInfo.InvariantCulture)))} s; {rounds} exchange rounds/epoch; request → result {best.Wall:F1} s incl. process start; validation loss {best.Loss:F5}"));
            if (n == 1)
            {
                results.Add(Measurement.AtLeast(Area, "N = 1: seconds per epoch (dataset big enough)", best.Epoch, " s", 1.0));
                continue;
            }

            // Two cores: the single process already uses both, so N processes share the same two; the goal bounds
            // what the exchange adds (one upload, listings and N − 1 downloads per round).
            var perRound = (best.Epoch - single) / rounds * 1000;
            results.Add(Measurement.AtMost(Area, $"{label} ÷ N = 1 epoch time", best.Epoch / single, "×", 1.5,
                "2 cores: the processes share the cores one process already uses" + (k == 1 ? $"; ≈ {perRound:F0} ms more per exchange round over {n} replicas" : $"; local SGD, {k} steps per round")));
        }

        return results;
    }

    /// <summary>Mean milliseconds per round of <paramref name="n"/> replicas exchanging <paramref name="length"/> floats, over 40 rounds after 5 warm-up rounds.</summary>
    private static async Task<double> ExchangeRoundAsync(PlatformStorage storage, int n, int length)
    {
        const int warmUp = 5, rounds = 40;
        var options = new ReplicaSyncOptions { PollInterval = TimeSpan.Parse(PollCap, CultureInfo.InvariantCulture) };
        var run = $"exchange-{n}";
        var exchanges = await Task.WhenAll(Enumerable.Range(0, n).Select(i => BlobReplicaExchange.OpenAsync(storage.Runs, "bench", run, i, n, options, TimeProvider.System, default)));
        var started = new long[n];
        var tasks = exchanges.Select((e, i) => Task.Factory.StartNew(() =>
        {
            var gradient = new float[length];
            for (var r = 0; r < warmUp + rounds; r++)
            {
                if (r == warmUp) started[i] = Stopwatch.GetTimestamp();
                gradient.AsSpan().Fill(i + r);
                e.Combine(r, gradient, i, default);
            }

            return Stopwatch.GetElapsedTime(started[i]).TotalMilliseconds / rounds;
        }, TaskCreationOptions.LongRunning)).ToArray();
        return (await Task.WhenAll(tasks)).Max();
    }

    private static string Label(int n, int k) => k == 1 ? $"N = {n}" : $"N = {n}, K = {k}";

    /// <summary>Queues the run's N replica requests, starts N trainer processes and waits for the run's result.</summary>
    private static async Task<(GpuTrainingResult? Result, TimeSpan Wall)> RunOnceAsync(string trainer, string connection, QueueServiceClient queues, string model, string sha, int n)
    {
        var requests = queues.GetQueueClient($"{model}-req");
        var answers = queues.GetQueueClient($"{model}-res");
        await requests.CreateIfNotExistsAsync();
        await answers.CreateIfNotExistsAsync();
        foreach (var request in Enumerable.Range(0, n).Select(i => new GpuTrainingRequest("run-1", model, sha, DateTimeOffset.UtcNow, i, n)))
        {
            await requests.SendMessageAsync(JsonSerializer.Serialize(request, PlatformJson.Options));
        }

        var wall = Stopwatch.StartNew();
        var processes = Enumerable.Range(0, n).Select(_ => Start(trainer, connection, requests.Name, answers.Name)).ToList();
        try
        {
            var result = await Eventually.UntilAsync(
                async () => (await answers.ReceiveMessagesAsync(1)).Value is [{ } m] ? JsonSerializer.Deserialize<GpuTrainingResult>(m.Body, PlatformJson.Options) : null,
                TimeSpan.FromMinutes(10), $"the {n}-replica run", TimeSpan.FromMilliseconds(50));
            wall.Stop();
            foreach (var p in processes) await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            return (result, wall.Elapsed);
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.Dispose();
            }
        }
    }

    private static Process Start(string trainer, string connection, string requests, string results)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            trainer, $"--AzureWebJobsStorage={connection}", "--Trainer:Device=cpu", "--Trainer:ExitWhenIdle=true",
            $"--Trainer:RequestsQueue={requests}", $"--Trainer:ResultsQueue={results}", $"--Trainer:Sync:PollInterval={PollCap}",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } l && l.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.WriteLine("  trainer: " + l); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } l) Console.WriteLine("  trainer: " + l); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A seeded binary task: 20 numerics, a label from a noisy linear rule with an interaction.</summary>
    private static (ModelSpec Spec, TabularDataset Data) Dataset()
    {
        var rng = new Random(7);
        var columns = new float[Features][];
        for (var f = 0; f < Features; f++) columns[f] = new float[Rows];
        var label = new float[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var z = 0.0;
            for (var f = 0; f < Features; f++)
            {
                var v = (float)((rng.NextDouble() * 2) - 1);
                columns[f][i] = v;
                z += (f % 3 == 0 ? 1.0 : -0.5) * v * (f < 6 ? 2 : 0.2);
            }

            z += columns[0][i] * columns[1][i];
            label[i] = z + (0.3 * ((rng.NextDouble() * 2) - 1)) > 0 ? 1 : 0;
        }

        var features = Enumerable.Range(0, Features).Select(f => new FeatureSpec($"x{f}", FeatureType.Numeric)).ToArray();
        var spec = new ModelSpec
        {
            Task = ModelTask.Binary,
            Label = "y",
            Features = features,
            Trainer = new TrainerSpec(TrainerKind.Mlp, Hyperparameters: new Dictionary<string, double>
            {
                ["hiddenLayers"] = 2, ["hiddenUnits"] = 128, ["learningRate"] = 0.003, ["batchSize"] = BatchSize,
                ["epochs"] = Epochs, ["patience"] = Epochs,
            }),
        };
        var data = new TabularDataset([.. Enumerable.Range(0, Features).Select(f => DataColumn.Float($"x{f}", columns[f])), DataColumn.Float("y", label)]);
        return (spec, data);
    }
}
