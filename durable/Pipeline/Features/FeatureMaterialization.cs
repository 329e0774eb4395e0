using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.Core.FeatureStore;

namespace Serverless.Durable.Pipeline.Features;

/// <summary>
/// The materialization orchestration: every view named in its input, in parallel, up to the orchestration's start
/// time (deterministic on replay). Started by a timer in each host (<see cref="StartAsync"/>).
/// </summary>
public static class FeatureMaterialization
{
    public const string Name = "FeatureMaterialization";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(10)));

    public static async Task<IReadOnlyList<MaterializationResult>> RunAsync(TaskOrchestrationContext context, IReadOnlyList<string> views)
    {
        var upTo = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var results = await Task.WhenAll(views.Select(v => context.CallActivityAsync<MaterializationResult>(MaterializeFeatureView.Name, new MaterializeRequest(v, upTo), Retry)));
        return results;
    }

    /// <summary>
    /// Schedules one run over the catalog's views; none when it has none. One instance per minute: a second timer
    /// firing in that minute finds it and starts nothing (writes are conditional and watermarks only move forward, so
    /// runs that overlap anyway are safe).
    /// </summary>
    public static async Task<string?> StartAsync(DurableTaskClient client, FeatureViewCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog.All.Count == 0) return null;
        var id = $"feature-materialization-{time.GetUtcNow().UtcDateTime:yyyyMMddTHHmm}";
        if (await client.GetInstanceAsync(id, ct).ConfigureAwait(false) is not null) return null;
        IReadOnlyList<string> views = [.. catalog.All.Select(v => v.View.Name)];
        return await client.ScheduleNewOrchestrationInstanceAsync(Name, views, new StartOrchestrationOptions(id), ct).ConfigureAwait(false);
    }
}
