using Microsoft.DurableTask.Client;
using Serverless.Core.Releases;

namespace Serverless.Durable.Releases;

/// <summary>Starts releases and raises decisions over whichever <see cref="DurableTaskClient"/> the host provides.</summary>
public sealed class DurableReleaseLauncher(DurableTaskClient client) : IReleaseLauncher
{
    public async Task<bool> StartAsync(ReleaseInput input, CancellationToken ct)
    {
        if (await client.GetInstanceAsync(input.InstanceId, ct).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await client.ScheduleNewOrchestrationInstanceAsync(ReleaseOrchestration.Name, input, new() { InstanceId = input.InstanceId }, ct).ConfigureAwait(false);
        return true;
    }

    public Task RaiseDecisionAsync(string model, string releaseId, ReleaseDecision decision, CancellationToken ct) =>
        client.RaiseEventAsync(ReleaseInput.InstanceIdOf(model, releaseId), ReleaseDecision.EventName, decision, ct);

    public Task RaiseTrafficChangeAsync(string model, string releaseId, ReleaseTrafficChange change, CancellationToken ct) =>
        client.RaiseEventAsync(ReleaseInput.InstanceIdOf(model, releaseId), ReleaseTrafficChange.EventName, change, ct);
}
