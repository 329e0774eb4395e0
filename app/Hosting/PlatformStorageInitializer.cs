using Microsoft.Extensions.Hosting;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Storage;
using Serverless.Core.Training.Remote;

namespace Serverless.App.Hosting;

/// <summary>
/// Creates the platform's containers, tables and queues at start-up (idempotent), so no request meets a missing one.
/// The GPU trainer's queues only where the pipeline is registered (a scorer has no use for them).
/// </summary>
public sealed class PlatformStorageInitializer(PlatformStorage storage, LabelingQueue labeling, GpuTrainingQueue? gpu = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
        await labeling.EnsureAsync(cancellationToken).ConfigureAwait(false);
        if (gpu is not null)
        {
            await gpu.EnsureAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
