using Serverless.Core.Training.Remote;

namespace Serverless.Local.Hosting;

/// <summary>
/// The GPU trainer job's loop, in-process against the same Azurite queues, so mlp / compute=gpu runs work on one
/// machine. Without a GPU it trains on the plain C# compute — the container image brings the CUDA one.
/// </summary>
public sealed class LocalGpuTrainer(GpuTrainingWorker worker) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => worker.RunAsync(stoppingToken);
}
