using Serverless.Core.Specs;

namespace Serverless.Core.Training.Mlp;

/// <summary>Plain C# compute: <see cref="System.Numerics.Vector{T}"/> inner loops, rows spread with Parallel.For.</summary>
public sealed class CpuMlpCompute : IMlpCompute
{
    public const string DeviceName = TrainerSpec.Cpu;

    public string Device => DeviceName;

    public IMlpWorker CreateWorker(MlpLayout layout, int maxRows) => new CpuMlpWorker(layout, maxRows);

    public void Dispose()
    {
        // Nothing held: workers own their buffers.
    }
}
