namespace Serverless.Trainer;

/// <summary>
/// How one replica's in-process data-parallel workers map onto its devices: with CUDA, every GPU gets the same
/// number of workers (at least one each, so no GPU of the replica sits idle); on the CPU the spec's <c>workers</c>
/// stands. A pure function of the device count, so it is tested without a GPU.
/// </summary>
/// <param name="WorkerDevices">CUDA device index per worker (worker w → WorkerDevices[w]); empty on the CPU.</param>
/// <param name="Workers">In-process workers.</param>
public sealed record TrainerWorkerPlan(IReadOnlyList<int> WorkerDevices, int Workers)
{
    public bool Cuda => WorkerDevices.Count > 0;

    /// <param name="cudaDevices">CUDA devices the replica sees (0 when there is no driver or no GPU).</param>
    /// <param name="requestedWorkers">The spec's <c>workers</c> (1 by default).</param>
    public static TrainerWorkerPlan For(int cudaDevices, TrainerDevice device, int requestedWorkers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cudaDevices);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestedWorkers, 1);
        if (device == TrainerDevice.Cpu || cudaDevices == 0) return new TrainerWorkerPlan([], requestedWorkers);

        // Round up to a multiple of the device count: equal shares keep the GPUs in step at every all-reduce.
        var perDevice = (requestedWorkers + cudaDevices - 1) / cudaDevices;
        var workers = perDevice * cudaDevices;
        return new TrainerWorkerPlan(Enumerable.Range(0, workers).Select(w => w % cudaDevices).ToArray(), workers);
    }
}
