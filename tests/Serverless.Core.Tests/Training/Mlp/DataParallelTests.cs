using Serverless.Core.Training.Mlp;
using Xunit.Abstractions;

namespace Serverless.Core.Tests.Training.Mlp;

public sealed class DataParallelTests(ITestOutputHelper output)
{
    // Sharding changes only the order in which per-row gradients are added (shard sums, then the ring), i.e. float
    // rounding at ~1e-7 relative per step. Adam divides by √v, so those differences pass through at roughly
    // lr × relative error per step; after 20 steps at lr 1e-2 weights of magnitude ~0.5 stay within 1e-4.
    private const float Tolerance = 1e-4f;
    private const int Steps = 20;

    [Fact]
    public void One_two_and_four_workers_give_the_same_weights()
    {
        var layout = new MlpLayout(6, 2, 24, 3, MlpLoss.SoftmaxCrossEntropy);
        var rng = new Random(11);
        const int rows = 512;
        var x = Enumerable.Range(0, rows * layout.Inputs).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => (float)rng.Next(3)).ToArray();
        var init = layout.InitialParameters(9);

        float[] Train(int workers)
        {
            using var compute = new CpuMlpCompute();
            using var step = new DataParallelStep(compute, layout, init, workers, batchSize: 100, learningRate: 0.01, l2: 1e-4);
            var order = Enumerable.Range(0, rows).ToArray();
            for (var s = 0; s < Steps; s++)
            {
                // Odd batch sizes leave uneven shards.
                step.Step(x, y, order.AsSpan((s * 23) % 400, 97));
            }

            return step.Parameters;
        }

        var one = Train(1);
        foreach (var n in new[] { 2, 4 })
        {
            var other = Train(n);
            var maxDelta = one.Zip(other, (a, b) => Math.Abs(a - b)).Max();
            output.WriteLine($"workers {n}: max |Δw| {maxDelta:E2} after {Steps} steps");
            Assert.True(maxDelta <= Tolerance, $"workers {n}: {maxDelta}");
        }
    }

    [Fact]
    public void Gradients_of_shards_add_up_to_the_full_batch_gradient()
    {
        var layout = new MlpLayout(4, 1, 8, 1, MlpLoss.MeanSquaredError);
        var rng = new Random(2);
        var x = Enumerable.Range(0, 40 * 4).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 40).Select(_ => (float)rng.NextDouble()).ToArray();
        var p = layout.InitialParameters(1);
        using var compute = new CpuMlpCompute();
        using var worker = compute.CreateWorker(layout, 40);

        var full = new float[layout.ParameterCount];
        var fullLoss = worker.ComputeGradients(p, x, y, 40, full);
        var first = new float[layout.ParameterCount];
        var second = new float[layout.ParameterCount];
        var l1 = worker.ComputeGradients(p, x.AsMemory(0, 25 * 4), y.AsMemory(0, 25), 25, first);
        var l2 = worker.ComputeGradients(p, x.AsMemory(25 * 4), y.AsMemory(25), 15, second);

        Assert.True(Math.Abs(fullLoss - (l1 + l2)) < 1e-4);
        for (var i = 0; i < full.Length; i++) Assert.True(Math.Abs(full[i] - (first[i] + second[i])) < 1e-4, $"{i}");
    }
}
