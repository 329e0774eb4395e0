using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Durable.Monitoring;
using Serverless.Durable.Pipeline;

namespace Serverless.Functions.Monitoring;

/// <summary>Every five minutes: runs the drift/quality checks whose per-model NCRONTAB schedule has come due.</summary>
public sealed class MonitoringTimerTrigger(MonitoringCycle cycle, TimeProvider time, ILogger<MonitoringTimerTrigger> logger)
{
    [Function("MonitoringTimer")]
    public async Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        foreach (var result in await cycle.RunDueAsync(new PipelineClient(client, time), context.CancellationToken))
        {
            logger.LogInformation("Monitoring {Model} v{Version}: {Action} ({Detail})", result.Model, result.Version, result.Action, result.Detail);
        }
    }
}
