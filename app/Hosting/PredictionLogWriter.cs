using Microsoft.Extensions.Hosting;
using Serverless.Core.Monitoring.Logging;

namespace Serverless.App.Hosting;

/// <summary>
/// Runs the prediction log's writer loop for the life of the host; on stop it writes what is buffered, for as long as
/// the host's shutdown timeout allows (what it cannot write is counted as dropped).
/// </summary>
public sealed class PredictionLogWriter(PredictionLog log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => log.RunAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // The loop is the channel's single reader: drain only once it has returned (it returns promptly when cancelled).
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
            await log.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
