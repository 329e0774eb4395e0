using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Serverless.Core.Runs;
using Serverless.Core.Training.Remote;
using Serverless.Durable.Pipeline;

namespace Serverless.Local.Hosting;

/// <summary>The local twin of the Functions queue trigger: relays GPU trainer results to the waiting runs.</summary>
public sealed class GpuResultListener(GpuTrainingQueue queue, DurableTaskClient client, IOptions<LocalHostOptions> options, ILogger<GpuResultListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WatchInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                foreach (var message in (await queue.Results.ReceiveMessagesAsync(maxMessages: 16, cancellationToken: stoppingToken).ConfigureAwait(false)).Value)
                {
                    await GpuResultRelay.RaiseAsync(client, GpuTrainingQueue.Parse<GpuTrainingResult>(message), logger, stoppingToken).ConfigureAwait(false);
                    await queue.Results.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Reading GPU training results failed; retrying");
            }
        }
    }
}
