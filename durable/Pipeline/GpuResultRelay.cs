using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Core.Training.Remote;

namespace Serverless.Durable.Pipeline;

/// <summary>Turns a message from the GPU trainer's result queue into the external event its waiting run listens for.</summary>
public static class GpuResultRelay
{
    public static async Task RaiseAsync(DurableTaskClient client, GpuTrainingResult result, ILogger logger, CancellationToken ct)
    {
        if (await client.GetInstanceAsync(result.RunId, ct).ConfigureAwait(false) is not { IsRunning: true })
        {
            // A late answer (the run already timed out) or a run that no longer exists: nothing to wake.
            logger.LogWarning("GPU training result for {RunId} has no running orchestration; dropped", result.RunId);
            return;
        }

        var name = GpuQueues.EventFor(result);
        await client.RaiseEventAsync(result.RunId, name, result, ct).ConfigureAwait(false);
        logger.LogInformation("GPU training result {Event} for {RunId} ({Outcome}) delivered", name, result.RunId, result.Succeeded ? "succeeded" : "failed");
    }
}
