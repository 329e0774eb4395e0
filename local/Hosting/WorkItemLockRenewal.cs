using System.Collections.Concurrent;
using DurableTask.Core;

namespace Serverless.Local.Hosting;

/// <summary>
/// The storage backend as the gRPC sidecar sees it, with one addition: while a work item runs, its queue messages'
/// visibility is renewed. The sidecar's dispatchers never renew locks (Durable Functions' do), so an activity that
/// outlived the visibility timeout — a 1M-row training under load — was delivered again and ran twice at once, and the
/// first completion then failed on a stale pop receipt. Orchestration work items are renewed the same way, which is
/// what lets the control queue's visibility timeout be short (see <see cref="DurableSidecar"/>).
/// </summary>
public sealed class WorkItemLockRenewal(IOrchestrationService inner, TimeSpan visibility, ILogger logger) : IOrchestrationService
{
    private readonly ConcurrentDictionary<string, Renewal> _running = new();
    private readonly ConcurrentDictionary<TaskOrchestrationWorkItem, Renewal> _orchestrations = new();

    /// <summary>Renewed at a third of the visibility timeout, so one late or failed renewal still leaves time.</summary>
    private TimeSpan Interval => visibility / 3;

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var item = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (item is not null)
        {
            _running[item.Id] = Renewal.Start(() => inner.RenewTaskActivityWorkItemLockAsync(item), $"activity work item {item.Id}", Interval, logger);
        }

        return item!;
    }

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        await StopRenewingAsync(_running, workItem.Id).ConfigureAwait(false);
        await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage).ConfigureAwait(false);
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        await StopRenewingAsync(_running, workItem.Id).ConfigureAwait(false);
        await inner.AbandonTaskActivityWorkItemAsync(workItem).ConfigureAwait(false);
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var item = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (item is not null)
        {
            _orchestrations[item] = Renewal.Start(() => inner.RenewTaskOrchestrationWorkItemLockAsync(item), $"orchestration work item {item.InstanceId}", Interval, logger);
        }

        return item!;
    }

    public async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        await StopRenewingAsync(_orchestrations, workItem).ConfigureAwait(false);
        await inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState)
            .ConfigureAwait(false);
    }

    public async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        await StopRenewingAsync(_orchestrations, workItem).ConfigureAwait(false);
        await inner.AbandonTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
    }

    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        await StopRenewingAsync(_orchestrations, workItem).ConfigureAwait(false);
        await inner.ReleaseTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
    }

    /// <summary>Stops the loop and waits for it, so no renewal races the completion's use of the pop receipts.</summary>
    private static async Task StopRenewingAsync<TKey>(ConcurrentDictionary<TKey, Renewal> running, TKey key) where TKey : notnull
    {
        if (running.TryRemove(key, out var renewal))
        {
            await renewal.Stop.CancelAsync().ConfigureAwait(false);
            await renewal.Loop.ConfigureAwait(false);
            renewal.Stop.Dispose();
        }
    }

    private sealed class Renewal
    {
        public CancellationTokenSource Stop { get; } = new();

        public Task Loop { get; private set; } = Task.CompletedTask;

        public static Renewal Start(Func<Task> renew, string what, TimeSpan interval, ILogger logger)
        {
            var renewal = new Renewal();
            renewal.Loop = RenewAsync(renew, what, interval, logger, renewal.Stop.Token);
            return renewal;
        }

        private static async Task RenewAsync(Func<Task> renew, string what, TimeSpan interval, ILogger logger, CancellationToken stop)
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                {
                    try
                    {
                        await renew().ConfigureAwait(false);
                    }
                    catch (Exception e) when (!stop.IsCancellationRequested)
                    {
                        // Storage hiccup: the next tick tries again before the messages become visible.
                        logger.LogWarning(e, "Could not renew the lock of {WorkItem}", what);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
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

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);
}
