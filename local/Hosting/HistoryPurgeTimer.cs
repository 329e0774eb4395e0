using Serverless.Durable.Lifecycle;

namespace Serverless.Local.Hosting;

/// <summary>The local twin of the Functions history purge, on the sidecar's backend: once at start, then daily.</summary>
public sealed class HistoryPurgeTimer(InstanceHistoryPurge purge, DurableSidecar sidecar, ILogger<HistoryPurgeTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1));
        do
        {
            try
            {
                logger.LogInformation("Purged the history of {Count} finished instances", await sidecar.PurgeAsync(purge.Filter()).WaitAsync(stoppingToken).ConfigureAwait(false));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "History purge failed; next try in a day");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
