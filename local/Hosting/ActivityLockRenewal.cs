using System.Collections.Concurrent;
using DurableTask.Core;

namespace Serverless.Local.Hosting;

/// <summary>
/// The storage backend as the gRPC sidecar sees it, with one addition: while an activity runs, its queue message's
/// visibility is renewed. The sidecar's dispatcher never renews activity locks (Durable Functions' does), so an
/// activity that outlived the work-item visibility timeout — a 1M-row training under load — was delivered again and
/// ran twice at once, and the first completion then failed on a stale pop receipt.
/// </summary>
public sealed class ActivityLockRenewal(IOrchestrationService inner, TimeSpan visibility, ILogger logger) : IOrchestrationService
{
    private readonly ConcurrentDictionary<string, Renewal> _running = new();

    /// <summary>Renewed at a third of the visibility timeout, so one late or failed renewal still leaves time.</summary>
    private TimeSpan Interval => visibility / 3;

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var item = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (item is not null)
        {
            var renewal = new Renewal();
            renewal.Loop = RenewAsync(item, renewal.Stop.Token);
            _running[item.Id] = renewal;
        }

        return item!;
    }

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        await StopRenewingAsync(workItem).ConfigureAwait(false);
        await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage).ConfigureAwait(false);
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        await StopRenewingAsync(workItem).ConfigureAwait(false);
        await inner.AbandonTaskActivityWorkItemAsync(workItem).ConfigureAwait(false);
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    private async Task RenewAsync(TaskActivityWorkItem item, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await inner.RenewTaskActivityWorkItemLockAsync(item).ConfigureAwait(false);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    // Storage hiccup: the next tick tries again before the message becomes visible.
                    logger.LogWarning(e, "Could not renew the lock of activity work item {WorkItem}", item.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops the loop and waits for it, so no renewal races the completion's use of the pop receipt.</summary>
    private async Task StopRenewingAsync(TaskActivityWorkItem workItem)
    {
        if (_running.TryRemove(workItem.Id, out var renewal))
        {
            await renewal.Stop.CancelAsync().ConfigureAwait(false);
            await renewal.Loop.ConfigureAwait(false);
            renewal.Stop.Dispose();
        }
    }

    private sealed class Renewal
    {
        public CancellationTokenSource Stop { get; } = new();

        public Task Loop { get; set; } = Task.CompletedTask;
    }

    // Everything else is the backend's own.
    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public Task StartAsync() => inner.StartAsync();

    public Task StopAsync() => inner.StopAsync();

    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
}
