using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Durable.Lifecycle;

namespace Serverless.Durable.Tests;

/// <summary>
/// The purge asks the backend for finished instances older than the retention only. The in-process test host answers
/// PurgeAllInstances with an RPC error, so the filter is checked at the client boundary it is handed to.
/// </summary>
public sealed class InstanceHistoryPurgeTests
{
    [Fact]
    public async Task Only_finished_instances_created_before_the_retention_are_purged()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 3, 30, 0, TimeSpan.Zero));
        var client = new RecordingClient();
        var purge = new InstanceHistoryPurge(Options.Create(new HistoryRetentionOptions { Days = 30 }), clock);

        Assert.Equal(7, await purge.PurgeAsync(client, CancellationToken.None));

        var filter = Assert.Single(client.Filters);
        Assert.Null(filter.CreatedFrom);
        Assert.Equal(new DateTimeOffset(2026, 11, 7, 3, 30, 0, TimeSpan.Zero), filter.CreatedTo);
        Assert.Equal(
            [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
            filter.Statuses!.Order());
    }

    private sealed class RecordingClient() : DurableTaskClient("recording")
    {
        public List<PurgeInstancesFilter> Filters { get; } = [];

        public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default)
        {
            Filters.Add(filter);
            return Task.FromResult(new PurgeResult(7));
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
    }
}
