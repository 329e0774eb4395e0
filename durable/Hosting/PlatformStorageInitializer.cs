using Microsoft.Extensions.Hosting;
using Serverless.Core.Monitoring.Labeling;
using Serverless.Core.Storage;

namespace Serverless.Durable.Hosting;

/// <summary>Creates the platform's containers and tables at start-up (idempotent), so no request meets a missing one.</summary>
public sealed class PlatformStorageInitializer(PlatformStorage storage, LabelingQueue labeling) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
        await labeling.EnsureAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
