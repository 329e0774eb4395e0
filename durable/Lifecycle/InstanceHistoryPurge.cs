using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Serverless.Durable.Lifecycle;

/// <summary>
/// Deletes the Durable history of finished instances older than <see cref="HistoryRetentionOptions.Days"/>. Running,
/// pending and suspended instances are never touched, whatever their age; what a version serves lives in the registry,
/// not in any history, so a purge cannot break a live alias.
/// </summary>
public sealed class InstanceHistoryPurge(IOptions<HistoryRetentionOptions> options, TimeProvider time)
{
    public static readonly IReadOnlyList<OrchestrationRuntimeStatus> FinishedStatuses =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>Finished instances created before now minus the retention.</summary>
    public PurgeInstancesFilter Filter() =>
        new(CreatedFrom: null, CreatedTo: time.GetUtcNow() - TimeSpan.FromDays(Math.Max(1, options.Value.Days)), Statuses: FinishedStatuses);

    /// <returns>How many instances were purged.</returns>
    public async Task<int> PurgeAsync(DurableTaskClient client, CancellationToken ct) =>
        (await client.PurgeAllInstancesAsync(Filter(), ct).ConfigureAwait(false)).PurgedInstanceCount;
}
