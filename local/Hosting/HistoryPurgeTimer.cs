using Microsoft.DurableTask.Client;
using Serverless.Durable.Lifecycle;

namespace Serverless.Local.Hosting;

/// <summary>The local twin of the Functions history purge: once at start, then daily.</summary>
public sealed class HistoryPurgeTimer(InstanceHistoryPurge purge, DurableTaskClient client, ILogger<HistoryPurgeTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1));
        do
        {
            try
            {
                logger.LogInformation("Purged the history of {Count} finished instances", await purge.PurgeAsync(client, stoppingToken).ConfigureAwait(false));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "History purge failed; next try in a day");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
