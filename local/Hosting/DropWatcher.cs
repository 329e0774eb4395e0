using Microsoft.Extensions.Options;
using Serverless.App.Intake;

namespace Serverless.Local.Hosting;

/// <summary>The local stand-in for the Functions blob triggers: an <see cref="IncomingScanner"/> pass every <see cref="LocalHostOptions.WatchInterval"/>.</summary>
public sealed class DropWatcher(IncomingScanner scanner, DropIntake datasets, IOptions<LocalHostOptions> options, ILogger<DropWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WatchInterval);
        do
        {
            try
            {
                await scanner.ScanAsync(datasets, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Drop scan failed; retrying in {Interval}", options.Value.WatchInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
