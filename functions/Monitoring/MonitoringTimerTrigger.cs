using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.App.Monitoring;
using Serverless.Functions.Http;

namespace Serverless.Functions.Monitoring;

/// <summary>Every five minutes: runs the drift/quality checks whose per-model NCRONTAB schedule has come due.</summary>
public sealed class MonitoringTimerTrigger(MonitoringCycle cycle, ILogger<MonitoringTimerTrigger> logger)
{
    [Function("MonitoringTimer")]
    public async Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        foreach (var result in await cycle.RunDueAsync(ApiServices.Runs(context, client), context.CancellationToken))
        {
            logger.LogInformation("Monitoring {Model} v{Version}: {Action} ({Detail})", result.Model, result.Version, result.Action, result.Detail);
        }
    }
}
