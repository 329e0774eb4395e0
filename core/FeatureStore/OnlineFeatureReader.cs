using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// Online lookups for scoring: each view's rows for a set of entity keys, from an in-process cache
/// (<see cref="FeatureStoreOptions.OnlineCacheTtl"/>, misses included) or one batched query per view, all views in
/// parallel. A stored value older than the view's TTL at lookup time is missing, as the offline join would have it.
/// </summary>
public sealed class OnlineFeatureReader(OnlineFeatureStore store, IOptions<FeatureStoreOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Partition, string Key), (long Expires, OnlineFeatureRow? Row)> _cache = new();
    private readonly long _cacheTicks = options.Value.OnlineCacheTtl.Ticks;

    /// <summary>Per view, per entity key: the row to use, or null (never written, or older than the TTL).</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, OnlineFeatureRow?>>> ReadAsync(
        IReadOnlyList<RegisteredFeatureView> views, IReadOnlyList<IReadOnlyList<string>> keysPerView, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(keysPerView);
        var now = time.GetUtcNow();
        var lookups = views.Select((v, i) => ReadViewAsync(v, keysPerView[i], now, ct)).ToArray();
        return await Task.WhenAll(lookups).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<string, OnlineFeatureRow?>> ReadViewAsync(RegisteredFeatureView view, IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken ct)
    {
        var partition = OnlineFeatureStore.Partition(view);
        var result = new Dictionary<string, OnlineFeatureRow?>(StringComparer.Ordinal);
        List<string>? missing = null;
        foreach (var key in keys)
        {
            if (result.ContainsKey(key)) continue;
            if (_cache.TryGetValue((partition, key), out var hit) && hit.Expires > now.UtcTicks) result[key] = Fresh(view, hit.Row, now);
            else (missing ??= []).Add(key);
        }

        if (missing is not null)
        {
            var read = await store.ReadAsync(view, missing, ct).ConfigureAwait(false);
            var expires = now.UtcTicks + _cacheTicks;
            foreach (var key in missing)
            {
                var row = read.GetValueOrDefault(key);
                if (_cacheTicks > 0) _cache[(partition, key)] = (expires, row);
                result[key] = Fresh(view, row, now);
            }
        }

        return result;
    }

    private static OnlineFeatureRow? Fresh(RegisteredFeatureView view, OnlineFeatureRow? row, DateTimeOffset now) =>
        row is not null && now - row.EventTime <= view.View.Ttl ? row : null;
}
