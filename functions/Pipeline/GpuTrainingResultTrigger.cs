using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Core.Hosting;
using Serverless.Core.Runs;
using Serverless.Core.Training.Remote;
using Serverless.Durable.Pipeline;

namespace Serverless.Functions.Pipeline;

/// <summary>The GPU trainer's answers (queue <c>gpu-training-results</c>) wake the runs waiting for them.</summary>
public sealed class GpuTrainingResultTrigger(ILogger<GpuTrainingResultTrigger> logger)
{
    [Function("GpuTrainingResult")]
    public Task Run(
        [QueueTrigger(GpuQueues.Results, Connection = PlatformOptions.DefaultStorageConnection)] GpuTrainingResult result,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        GpuResultRelay.RaiseAsync(client, result, logger, context.CancellationToken);
}
