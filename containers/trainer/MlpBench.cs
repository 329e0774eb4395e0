using System.Diagnostics;
using System.Globalization;
using Serverless.Core.Training.Mlp;

namespace Serverless.Trainer;

/// <summary>
/// Times MLP epochs on synthetic rows with the CUDA compute (when present) and the plain C# compute from the same
/// seed, and prints per-epoch time, the speedup and the final-loss difference. With <c>replicas</c> &gt; 1 it then
/// times 2, 4, … replicas of one run as threads (each with its own compute on the same devices, joined by an
/// <see cref="InProcessReplicaGroup"/>) against one, and checks they reach the same loss.
/// </summary>
public static class MlpBench
{
    public const int DefaultRows = 1_000_000;

    public const int DefaultEpochs = 2;

    public const int DefaultReplicas = 1;

    public static int Run(int rows, int epochs, int replicas = DefaultReplicas)
    {
        const int inputs = 32;
        var layout = new MlpLayout(inputs, 2, 256, 1, MlpLoss.BinaryCrossEntropy);
        var hp = new MlpHyperparameters(HiddenLayers: 2, HiddenUnits: 256, LearningRate: 1e-3, BatchSize: 4096, Epochs: epochs, Patience: epochs, L2Regularization: 0);
        var (x, y) = Synthetic(rows, inputs, seed: 1);
        var validation = Math.Max(1, rows / 100);
        Console.WriteLine($"rows {rows:N0} × {inputs} inputs, layers {layout.HiddenLayers}×{layout.HiddenUnits}, batch {hp.BatchSize}, epochs {epochs}");

        var results = new List<(string Device, double EpochSeconds, double Loss)>();
        using (var gpu = IlgpuMlpCompute.Create())
        {
            if (gpu is IlgpuMlpCompute) results.Add(Time(gpu, layout, hp, x, y, validation));
            else Console.WriteLine("No CUDA device: timing the plain C# compute only.");
        }

        using (var cpu = new CpuMlpCompute()) results.Add(Time(cpu, layout, hp, x, y, validation));

        foreach (var (device, seconds, loss) in results)
        {
            Console.WriteLine(FormattableString.Invariant($"{device,-40} {seconds,9:F3} s/epoch   final validation loss {loss:F6}"));
        }

        if (results.Count == 2)
        {
            Console.WriteLine(FormattableString.Invariant($"speedup {results[1].EpochSeconds / results[0].EpochSeconds:F1}×   |Δ final loss| {Math.Abs(results[0].Loss - results[1].Loss):E2}"));
        }

        if (replicas > 1) TimeReplicas(layout, hp, x, y, validation, replicas);
        return 0;
    }

    /// <summary>1, 2, 4, … up to <paramref name="maxReplicas"/> replicas on the preferred compute: seconds per epoch and the ratio to one.</summary>
    private static void TimeReplicas(MlpLayout layout, MlpHyperparameters hp, float[] x, float[] y, int validation, int maxReplicas)
    {
        double? one = null, oneLoss = null;
        for (var n = 1; n <= maxReplicas; n *= 2)
        {
            using var group = new InProcessReplicaGroup(n);
            var computes = Enumerable.Range(0, n).Select(_ => IlgpuMlpCompute.Create()).ToArray();
            try
            {
                var fits = Enumerable.Range(0, n)
                    .Select(i => Task.Factory.StartNew(() => Fit(computes[i], layout, hp, x, y, validation, group.Replica(i)), TaskCreationOptions.LongRunning))
                    .ToArray();
                Task.WaitAll(fits);
                var (seconds, loss) = fits[0].Result;
                (one, oneLoss) = (one ?? seconds, oneLoss ?? loss);
                Console.WriteLine(FormattableString.Invariant(
                    $"replicas {n} on {computes[0].Device,-30} {seconds,9:F3} s/epoch   ÷ 1 replica {seconds / one.Value:F2}×   |Δ final loss| vs 1 {Math.Abs(loss - oneLoss.Value):E2}"));
            }
            finally
            {
                foreach (var c in computes) c.Dispose();
            }
        }
    }

    private static (string, double, double) Time(IMlpCompute compute, MlpLayout layout, MlpHyperparameters hp, float[] x, float[] y, int validation)
    {
        var (seconds, loss) = Fit(compute, layout, hp, x, y, validation, null);
        return (compute.Device, seconds, loss);
    }

    private static (double EpochSeconds, double Loss) Fit(IMlpCompute compute, MlpLayout layout, MlpHyperparameters hp, float[] x, float[] y, int validation, IReplicaExchange? exchange)
    {
        var trainRows = y.Length - validation;
        var fit = MlpFit.Run(compute, layout, hp, seed: 42, x[..(trainRows * layout.Inputs)], y[..trainRows], x[(trainRows * layout.Inputs)..], y[trainRows..], CancellationToken.None, exchange: exchange);

        // The first epoch includes kernel compilation on CUDA; report the later ones when there are any.
        var steady = fit.EpochTimes.Count > 1 ? fit.EpochTimes.Skip(1).Average(t => t.TotalSeconds) : fit.EpochTimes[0].TotalSeconds;
        return (steady, fit.ValidationLoss[^1]);
    }

    private static (float[] X, float[] Y) Synthetic(int rows, int inputs, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * inputs];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var z = 0.0;
            for (var k = 0; k < inputs; k++)
            {
                var v = (float)((rng.NextDouble() * 2) - 1);
                x[(i * inputs) + k] = v;
                z += (k % 3 == 0 ? 1.0 : -0.5) * v * (k < 8 ? 2 : 0.2);
            }

            y[i] = z + (0.3 * ((rng.NextDouble() * 2) - 1)) > 0 ? 1 : 0;
        }

        return (x, y);
    }
}
