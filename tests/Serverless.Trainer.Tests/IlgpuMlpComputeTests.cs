using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using Serverless.Core.Training.Mlp;
using Serverless.Trainer;

namespace Serverless.Trainer.Tests;

/// <summary>
/// The CUDA kernels cannot run here (no GPU); ILGPU's CPU accelerator runs the very same kernel code (never used as a
/// training fallback: it is slower than plain C#), so the kernels' math is checked against the C# compute on it.
/// </summary>
public sealed class IlgpuMlpComputeTests
{
    // Per-element sums run in the same order on both; the C# worker uses Vector<T> lanes and ILGPU scalar loops.
    private const double Tolerance = 1e-5;

    [Fact]
    public void Without_cuda_create_falls_back_to_the_plain_csharp_compute()
    {
        using var compute = IlgpuMlpCompute.Create();
        Assert.IsType<CpuMlpCompute>(compute);
        Assert.Equal("cpu", compute.Device);
    }

    [Theory]
    [InlineData(MlpLoss.BinaryCrossEntropy, 1)]
    [InlineData(MlpLoss.SoftmaxCrossEntropy, 3)]
    [InlineData(MlpLoss.MeanSquaredError, 1)]
    public void Kernels_give_the_csharp_losses_gradients_and_training_trajectory(MlpLoss loss, int outputs)
    {
        var layout = new MlpLayout(5, 2, 12, outputs, loss);
        var rng = new Random(4);
        const int rows = 40;
        var x = Enumerable.Range(0, rows * layout.Inputs).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => loss == MlpLoss.MeanSquaredError ? (float)rng.NextDouble() : rng.Next(outputs == 1 ? 2 : outputs)).Select(v => (float)v).ToArray();
        var p = layout.InitialParameters(3);

        using var context = Context.Create(b => b.CPU().EnableAlgorithms());
        using var ilgpu = new IlgpuMlpCompute(context, context.GetPreferredDevice(preferCPU: true).CreateAccelerator(context));
        using var cpu = new CpuMlpCompute();

        using (var a = ilgpu.CreateWorker(layout, rows))
        using (var b = cpu.CreateWorker(layout, rows))
        {
            float[] ga = new float[layout.ParameterCount], gb = new float[layout.ParameterCount];
            var la = a.ComputeGradients(p, x, y, rows, ga);
            var lb = b.ComputeGradients(p, x, y, rows, gb);
            Assert.True(Math.Abs(la - lb) < Tolerance * rows, $"loss {la} vs {lb}");
            Assert.True(ga.Zip(gb, (u, v) => Math.Abs(u - v)).Max() < Tolerance * rows, "gradients differ");
        }

        // Same seed → same losses epoch by epoch within float tolerance.
        var hp = new MlpHyperparameters(HiddenLayers: 2, HiddenUnits: 12, LearningRate: 0.01, BatchSize: 16, Epochs: 3, Patience: 3);
        var fa = MlpFit.Run(ilgpu, layout, hp, 1, x[..(30 * 5)], y[..30], x[(30 * 5)..], y[30..], CancellationToken.None);
        var fb = MlpFit.Run(cpu, layout, hp, 1, x[..(30 * 5)], y[..30], x[(30 * 5)..], y[30..], CancellationToken.None);
        for (var e = 0; e < 3; e++) Assert.True(Math.Abs(fa.ValidationLoss[e] - fb.ValidationLoss[e]) < 1e-4, $"epoch {e + 1}");
    }
}
