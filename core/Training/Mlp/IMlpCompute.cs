namespace Serverless.Core.Training.Mlp;

/// <summary>
/// Where an MLP's batches run: plain C# (<see cref="CpuMlpCompute"/>) or an accelerator (the GPU trainer's ILGPU
/// implementation). One compute hands out one <see cref="IMlpWorker"/> per data-parallel worker.
/// </summary>
public interface IMlpCompute : IDisposable
{
    /// <summary>"cpu", or the accelerator, e.g. "cuda:NVIDIA H200"; recorded as the training device.</summary>
    string Device { get; }

    /// <summary>A worker with buffers for batches of up to <paramref name="maxRows"/> rows of <paramref name="layout"/>.</summary>
    IMlpWorker CreateWorker(MlpLayout layout, int maxRows);

    /// <summary>
    /// How many in-process workers to run when the spec asks for <paramref name="requested"/>: a multi-device compute
    /// raises it so every device gets work; plain C# takes the request as it is.
    /// </summary>
    int PlanWorkers(int requested) => requested;
}

/// <summary>One data-parallel worker's kernels. Not thread-safe; each worker is used by one thread at a time.</summary>
public interface IMlpWorker : IDisposable
{
    /// <summary>
    /// Forward + backward over <paramref name="rows"/> rows (features row-major [rows × inputs], one target per row).
    /// Writes the gradient of the summed loss to <paramref name="gradients"/> (overwritten, not averaged) and returns
    /// the summed loss, so shards add up to the global batch exactly (up to float summation order).
    /// </summary>
    double ComputeGradients(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, ReadOnlyMemory<float> targets, int rows, Memory<float> gradients);

    /// <summary>Raw outputs (logits or standardised regression values) [rows × outputs].</summary>
    void Forward(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, int rows, Memory<float> outputs);
}
