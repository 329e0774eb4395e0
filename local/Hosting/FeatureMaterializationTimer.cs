using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Serverless.Core.FeatureStore;
using Serverless.Durable.Pipeline.Features;

namespace Serverless.Local.Hosting;

/// <summary>The local twin of the Functions timer: starts feature materialization every <see cref="FeatureStoreOptions.MaterializeInterval"/>.</summary>
public sealed class FeatureMaterializationTimer(DurableTaskClient client, FeatureViewCatalog catalog, TimeProvider time, IOptions<FeatureStoreOptions> options, ILogger<FeatureMaterializationTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MaterializeInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                if (await FeatureMaterialization.StartAsync(client, catalog, time, stoppingToken).ConfigureAwait(false) is { } id) logger.LogInformation("Feature materialization {Instance} started", id);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Feature materialization tick failed; next tick in {Interval}", options.Value.MaterializeInterval);
            }
        }
    }
}
