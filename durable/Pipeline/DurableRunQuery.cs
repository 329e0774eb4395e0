using System.Buffers.Text;
using System.Text;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.Core.Runs;

namespace Serverless.Durable.Pipeline;

/// <summary>
/// Lists a model's runs straight from the task hub rather than from a run index kept in storage. The hub already holds
/// every run with its status, input and output, so the list cannot drift from what <c>GET /api/runs/{id}</c> shows; an
/// index would need writing at start, on every status change and on terminate, including for runs that crash. The
/// query uses only what both hosts' Azure Storage backend answers from its Instances table, behind the local host's
/// sidecar and the Functions extension alike: an instance-id prefix (every run id starts with <c>{model}-</c>), a
/// creation-time range, runtime statuses and continuation paging. The prefix also matches models whose names extend
/// this one (<c>churn-</c> matches <c>churn-2-…</c>), so each instance's input is checked for the exact model; outcome
/// statuses and triggers are read from output and input the same way. Order is the backend's (instance id), not time.
/// </summary>
internal static class DurableRunQuery
{
    /// <summary>Hub pages read for one API page at most, so a filter that matches little cannot make one request scan the whole hub.</summary>
    public const int MaxHubPages = 8;

    public static async Task<RunPage> ListAsync(DurableTaskClient client, RunQuery query, CancellationToken ct)
    {
        var runs = new List<RunSummary>();
        var token = Decode(query.ContinuationToken);
        var filter = new OrchestrationQuery
        {
            InstanceIdPrefix = query.Model + "-",
            CreatedFrom = query.From,
            CreatedTo = query.To,
            Statuses = RuntimeStatuses(query.Statuses),
            FetchInputsAndOutputs = true,
        };

        for (var read = 0; read < MaxHubPages; read++)
        {
            // Ask for no more than the page still lacks: every instance read is then used or passed over, and the hub's
            // continuation token is exactly where the next page starts.
            var want = query.PageSize - runs.Count;
            Page<OrchestrationMetadata>? page = null;
            await foreach (var p in client.GetAllInstancesAsync(filter with { PageSize = want, ContinuationToken = token }).AsPages(token, want).WithCancellation(ct).ConfigureAwait(false))
            {
                page = p;
                break;
            }

            token = page?.ContinuationToken is { Length: > 0 } next ? next : null;
            foreach (var meta in page?.Values ?? [])
            {
                if (Summarize(meta, query.Model) is { } run && query.Matches(run)) runs.Add(run);
            }

            if (token is null || runs.Count >= query.PageSize) break;
        }

        return new RunPage(runs, Encode(token));
    }

    /// <summary>The run as the list shows it, or null when the instance belongs to another model (or is no run).</summary>
    public static RunSummary? Summarize(OrchestrationMetadata meta, string model)
    {
        var input = meta.SerializedInput is null ? null : meta.ReadInputAs<PipelineInput>();
        if (input is null || input.Model != model || meta.Name != TrainingPipeline.Name) return null;
        var result = meta.RuntimeStatus == OrchestrationRuntimeStatus.Completed && meta.SerializedOutput is not null ? meta.ReadOutputAs<PipelineResult>() : null;
        var progress = meta.SerializedCustomStatus is null ? null : meta.ReadCustomStatusAs<RunProgress>();
        return new RunSummary(
            meta.InstanceId,
            model,
            StatusOf(meta.RuntimeStatus),
            result?.Outcome,
            RunTriggers.Of(input),
            meta.CreatedAt,
            meta.LastUpdatedAt,
            input.DatasetSha256,
            result?.Version,
            progress?.Step,
            result?.Metrics,
            meta.FailureDetails?.ErrorMessage ?? progress?.Error,
            input.RerunOf);
    }

    public static string StatusOf(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Pending => RunStatuses.Pending,
        OrchestrationRuntimeStatus.Completed => RunStatuses.Completed,
        OrchestrationRuntimeStatus.Failed => RunStatuses.Failed,
        OrchestrationRuntimeStatus.Terminated => RunStatuses.Canceled,
        _ => RunStatuses.Running, // running, suspended, continued-as-new
    };

    /// <summary>The hub statuses that can hold runs with <paramref name="statuses"/> (outcomes are all completed runs); null for any.</summary>
    private static List<OrchestrationRuntimeStatus>? RuntimeStatuses(IReadOnlySet<string> statuses) =>
        statuses.Count == 0
            ? null
            : [.. statuses.SelectMany(s => s switch
            {
                RunStatuses.Pending => [OrchestrationRuntimeStatus.Pending],
                RunStatuses.Running => [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
                RunStatuses.Failed => [OrchestrationRuntimeStatus.Failed],
                RunStatuses.Canceled => [OrchestrationRuntimeStatus.Terminated],
                _ => new[] { OrchestrationRuntimeStatus.Completed },
            }).Distinct()];

    /// <summary>The hub's token is opaque (the Azure Storage backend's is JSON); base64url keeps it one query-string value.</summary>
    private static string? Encode(string? token) => token is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(token));

    private static string? Decode(string? token) => token is null ? null : Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
}
