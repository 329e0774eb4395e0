using Microsoft.Extensions.Hosting;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Storage;
using Serverless.Core.Training.Remote;

namespace Serverless.Durable.Hosting;

/// <summary>Creates the platform's containers, tables and queues at start-up (idempotent), so no request meets a missing one.</summary>
public sealed class PlatformStorageInitializer(PlatformStorage storage, LabelingQueue labeling, GpuTrainingQueue gpu) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
        await labeling.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await gpu.EnsureAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
