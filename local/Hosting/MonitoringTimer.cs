using Microsoft.Extensions.Options;
using Serverless.App.Monitoring;
using Serverless.Core.Runs;


namespace Serverless.Local.Hosting;

/// <summary>The local twin of the Functions timer: runs the monitoring checks that are due on each tick.</summary>
public sealed class MonitoringTimer(MonitoringCycle cycle, IRunLauncher pipeline, IOptions<LocalHostOptions> options, ILogger<MonitoringTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MonitoringInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                foreach (var result in await cycle.RunDueAsync(pipeline, stoppingToken).ConfigureAwait(false))
                {
                    logger.LogInformation("Monitoring {Model} v{Version}: {Action} ({Detail})", result.Model, result.Version, result.Action, result.Detail);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Monitoring tick failed; next tick in {Interval}", options.Value.MonitoringInterval);
            }
        }
    }
}
