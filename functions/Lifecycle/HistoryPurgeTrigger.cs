using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Durable.Lifecycle;

namespace Serverless.Functions.Lifecycle;

/// <summary>Daily at 03:30 UTC: purges the Durable history of finished runs and batches past the retention.</summary>
public sealed class HistoryPurgeTrigger(InstanceHistoryPurge purge, ILogger<HistoryPurgeTrigger> logger)
{
    [Function("HistoryPurge")]
    public async Task Run([TimerTrigger("0 30 3 * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        logger.LogInformation("Purged the history of {Count} finished instances", await purge.PurgeAsync(client, context.CancellationToken));
}
