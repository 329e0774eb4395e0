using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// The online store: the latest value per entity of each view version in Azure Table Storage, one partition per
/// view version (<see cref="Partition"/>), one entity per entity key. A write replaces a stored row only with a row of
/// the same or a later event time, under the stored row's ETag, so materialization and pushes may race safely.
/// </summary>
public sealed class OnlineFeatureStore(TableServiceClient tables)
{
    public const string TableName = "features";

    /// <summary>
    /// Keys per query: a $filter may hold at most 15 discrete comparisons (Querying tables and entities,
    /// learn.microsoft.com/rest/api/storageservices/querying-tables-and-entities), one of them the partition's.
    /// </summary>
    public const int KeysPerQuery = 14;

    /// <summary>Entity group transactions take at most 100 entities of one partition.</summary>
    private const int RowsPerTransaction = 100;

    /// <summary>Each lost race means another writer's write committed, so N writers of one entity need at most N tries.</summary>
    private const int MaxWriteAttempts = 16;
    private const string WatermarkPartition = "watermark";
    private const string EventTimeProperty = "EventTime";
    private const string ValuesProperty = "Values";

    /// <summary>Point reads one lookup keeps in flight per view (a predict request's rows may name many entities).</summary>
    public const int ReadsInFlight = 16;

    private static readonly string[] ReadColumns = [EventTimeProperty, ValuesProperty];

    private readonly TableClient _table = tables.GetTableClient(TableName);

    public Task EnsureAsync(CancellationToken ct) => _table.CreateIfNotExistsAsync(ct);

    /// <summary>A view version's partition: its name and definition hash, so a changed definition never reads the old one's rows.</summary>
    public static string Partition(RegisteredFeatureView view) => $"{view.View.Name}~{view.DefinitionHash[..16]}";

    /// <summary>Row keys cannot hold '/', '\', '#', '?' or control characters; escaping keeps every entity key distinct and readable.</summary>
    public static string RowKey(string entityKey) => Uri.EscapeDataString(entityKey);

    /// <summary>Stores each row unless the store already holds a later event for its entity; returns the rows written.</summary>
    public async Task<int> WriteAsync(RegisteredFeatureView view, IReadOnlyList<OnlineFeatureRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await EnsureAsync(ct).ConfigureAwait(false);
        var partition = Partition(view);

        // The latest row per entity (equal times: the later row), then one conditional write per chunk of keys.
        var latest = new Dictionary<string, OnlineFeatureRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!latest.TryGetValue(row.EntityKey, out var seen) || row.EventTime >= seen.EventTime) latest[row.EntityKey] = row;
        }

        var written = 0;
        foreach (var chunk in latest.Values.Chunk(KeysPerQuery))
        {
            written += await WriteChunkAsync(partition, chunk, ct).ConfigureAwait(false);
        }

        return written;
    }

    private async Task<int> WriteChunkAsync(string partition, OnlineFeatureRow[] chunk, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await QueryAsync(partition, chunk.Select(r => r.EntityKey), ct).ConfigureAwait(false);
            var actions = new List<TableTransactionAction>();
            foreach (var row in chunk)
            {
                var entity = new TableEntity(partition, RowKey(row.EntityKey))
                {
                    [EventTimeProperty] = row.EventTime.ToUniversalTime(),
                    [ValuesProperty] = JsonSerializer.Serialize(row.Values, PlatformJson.Options),
                };
                if (!stored.TryGetValue(RowKey(row.EntityKey), out var existing))
                {
                    actions.Add(new(TableTransactionActionType.Add, entity));
                }
                else if (row.EventTime >= existing.GetDateTimeOffset(EventTimeProperty)!.Value)
                {
                    entity.ETag = existing.ETag;
                    actions.Add(new(TableTransactionActionType.UpdateReplace, entity, existing.ETag));
                }
            }

            if (actions.Count == 0) return 0;
            try
            {
                await _table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
                return actions.Count;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxWriteAttempts)
            {
                // Another writer got to one of these entities first: read again and decide again, after a short
                // jittered pause so that writers racing in lockstep spread out.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 5 * attempt)), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The stored rows of <paramref name="entityKeys"/> (absent keys are left out): one point read per key, at most
    /// <see cref="ReadsInFlight"/> at once. A point read (partition and row key) is the store's cheapest lookup; a
    /// filter that ORs row keys scans the partition (Design for querying,
    /// learn.microsoft.com/azure/storage/tables/table-storage-design-for-query), and a view's partition holds every entity.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, OnlineFeatureRow>> ReadAsync(RegisteredFeatureView view, IReadOnlyCollection<string> entityKeys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entityKeys);
        var partition = Partition(view);
        var keys = entityKeys.Distinct(StringComparer.Ordinal).ToArray();
        var found = new OnlineFeatureRow?[keys.Length];
        if (keys.Length == 1)
        {
            found[0] = await PointReadAsync(partition, keys[0], ct).ConfigureAwait(false);
        }
        else
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = ReadsInFlight, CancellationToken = ct };
            await Parallel.ForEachAsync(Enumerable.Range(0, keys.Length), parallel, async (i, c) => found[i] = await PointReadAsync(partition, keys[i], c).ConfigureAwait(false)).ConfigureAwait(false);
        }

        var result = new Dictionary<string, OnlineFeatureRow>(StringComparer.Ordinal);
        foreach (var row in found)
        {
            if (row is not null) result[row.EntityKey] = row;
        }

        return result;
    }

    /// <summary>Up to when the view version was materialized; null if never.</summary>
    public async Task<DateTimeOffset?> ReadWatermarkAsync(RegisteredFeatureView view, CancellationToken ct)
    {
        try
        {
            var entity = await _table.GetEntityIfExistsAsync<TableEntity>(WatermarkPartition, Partition(view), cancellationToken: ct).ConfigureAwait(false);
            return entity.HasValue ? entity.Value!.GetDateTimeOffset(EventTimeProperty) : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task WriteWatermarkAsync(RegisteredFeatureView view, DateTimeOffset watermark, CancellationToken ct)
    {
        await EnsureAsync(ct).ConfigureAwait(false);
        await _table.UpsertEntityAsync(new TableEntity(WatermarkPartition, Partition(view)) { [EventTimeProperty] = watermark.ToUniversalTime() }, TableUpdateMode.Replace, ct).ConfigureAwait(false);
    }

    private async Task<Dictionary<string, TableEntity>> QueryAsync(string partition, IEnumerable<string> entityKeys, CancellationToken ct)
    {
        var filter = $"PartitionKey eq '{Quote(partition)}' and (" + string.Join(" or ", entityKeys.Select(k => $"RowKey eq '{Quote(RowKey(k))}'")) + ")";
        var found = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: ct).ConfigureAwait(false))
            {
                found[entity.RowKey] = entity;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: nothing was ever written.
        }

        return found;
    }

    private async Task<OnlineFeatureRow?> PointReadAsync(string partition, string entityKey, CancellationToken ct)
    {
        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, RowKey(entityKey), ReadColumns, ct).ConfigureAwait(false);
            if (!response.HasValue) return null;
            var values = JsonSerializer.Deserialize<JsonElement[]>(response.Value!.GetString(ValuesProperty)!, PlatformJson.Options)!;
            return new(entityKey, response.Value.GetDateTimeOffset(EventTimeProperty)!.Value, [.. values.Select(Value)]);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: nothing was ever written.
            return null;
        }
    }

    private static string Quote(string s) => s.Replace("'", "''", StringComparison.Ordinal);

    private static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString(),
        _ => null,
    };
}
