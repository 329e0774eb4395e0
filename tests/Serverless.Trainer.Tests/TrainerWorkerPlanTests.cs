using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using Serverless.Core.Training.Mlp;

namespace Serverless.Trainer.Tests;

/// <summary>A replica uses every GPU it has: the plan is a function of the device count, checked without a GPU.</summary>
public sealed class TrainerWorkerPlanTests
{
    [Theory]
    [InlineData(1, 1, new[] { 0 })]
    [InlineData(4, 1, new[] { 0, 1, 2, 3 })] // one worker per GPU even when the spec asks for one
    [InlineData(2, 3, new[] { 0, 1, 0, 1 })] // rounded up so both GPUs carry the same share
    [InlineData(8, 8, new[] { 0, 1, 2, 3, 4, 5, 6, 7 })]
    public void Cuda_workers_cover_every_device_equally(int devices, int requested, int[] expected)
    {
        var plan = TrainerWorkerPlan.For(devices, TrainerDevice.Auto, requested);
        Assert.True(plan.Cuda);
        Assert.Equal(expected, plan.WorkerDevices);
        Assert.Equal(expected.Length, plan.Workers);
        Assert.Equal(expected, TrainerWorkerPlan.For(devices, TrainerDevice.Cuda, requested).WorkerDevices);
    }

    [Theory]
    [InlineData(0, TrainerDevice.Auto, 3)]
    [InlineData(4, TrainerDevice.Cpu, 2)]
    public void On_the_cpu_the_spec_worker_count_stands(int devices, TrainerDevice device, int requested)
    {
        var plan = TrainerWorkerPlan.For(devices, device, requested);
        Assert.False(plan.Cuda);
        Assert.Equal(requested, plan.Workers);
    }

    /// <summary>
    /// The multi-device compute itself, on two ILGPU CPU accelerators standing in for two GPUs (the same code path:
    /// one worker per accelerator, each bound on its own thread, joined by the ring): same weights as plain C#.
    /// </summary>
    [Fact]
    public void Two_accelerators_get_a_worker_each_and_train_the_single_device_weights()
    {
        var layout = new MlpLayout(5, 2, 12, 1, MlpLoss.BinaryCrossEntropy);
        var rng = new Random(4);
        const int rows = 64;
        var x = Enumerable.Range(0, rows * layout.Inputs).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => (float)rng.Next(2)).ToArray();

        using var context = Context.Create(b => b.CPU().EnableAlgorithms());
        var cpuDevice = context.GetPreferredDevice(preferCPU: true);
        using var ilgpu = new IlgpuMlpCompute(context, cpuDevice.CreateAccelerator(context), cpuDevice.CreateAccelerator(context));
        Assert.StartsWith("cpu:2×", ilgpu.Device, StringComparison.Ordinal);
        Assert.Equal(2, ilgpu.PlanWorkers(1));

        var hp = new MlpHyperparameters(HiddenLayers: 2, HiddenUnits: 12, LearningRate: 0.01, BatchSize: 16, Epochs: 3, Patience: 3);
        var fa = MlpFit.Run(ilgpu, layout, hp, 1, x[..(48 * 5)], y[..48], x[(48 * 5)..], y[48..], CancellationToken.None);
        using var cpu = new CpuMlpCompute();
        var fb = MlpFit.Run(cpu, layout, hp, 1, x[..(48 * 5)], y[..48], x[(48 * 5)..], y[48..], CancellationToken.None);
        Assert.Equal(2, fa.Workers);
        Assert.Equal(1, fb.Workers);
        Assert.True(fa.Parameters.Zip(fb.Parameters, (a, b) => Math.Abs(a - b)).Max() < 1e-4, "weights differ");
    }
}
