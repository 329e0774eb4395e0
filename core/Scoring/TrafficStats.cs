using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;

namespace Serverless.Core.Scoring;

/// <summary>
/// Per-version request counts and latencies of this host, written every
/// <see cref="ScoringOptions.TrafficStatsFlushInterval"/> to <c>predictions/_traffic/{model}/{version}/{host}.json</c>
/// (the predictions container, which every scoring host may write), and read back summed over hosts by release
/// guardrails. Recording is two interlocked adds; the hot path never touches storage.
/// </summary>
public sealed class TrafficStats : IDisposable
{
    private readonly ConcurrentDictionary<(string Model, int Version), Counters> _counters = new();
    private readonly PlatformStorage _storage;
    private readonly ITimer _timer;
    private int _flushing;

    public TrafficStats(PlatformStorage storage, TimeProvider time, IOptions<ScoringOptions> options)
    {
        _storage = storage;
        var every = options.Value.TrafficStatsFlushInterval;
        _timer = time.CreateTimer(static s => ((TrafficStats)s!).FlushInBackground(), this, every, every);
    }

    /// <summary>This process's name in the blob path: a restarted host starts new counts instead of lowering old ones.</summary>
    public string Host { get; } = $"{Environment.MachineName}-{Guid.NewGuid():N}";

    public void Record(string model, int version, bool succeeded, double milliseconds)
    {
        var c = _counters.GetOrAdd((model, version), static _ => new Counters());
        Interlocked.Increment(ref c.Requests);
        if (!succeeded) Interlocked.Increment(ref c.Errors);
        Interlocked.Increment(ref c.Latency[LatencyHistogram.BucketOf(milliseconds)]);
        c.Dirty = true;
    }

    /// <summary>Writes every version whose counts changed since the last flush.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        foreach (var ((model, version), c) in _counters)
        {
            if (!c.Dirty) continue;
            c.Dirty = false;
            var snapshot = new VersionTrafficCounts(Host, Interlocked.Read(ref c.Requests), Interlocked.Read(ref c.Errors), [.. c.Latency]);
            await BlobJson.UploadAsync(_storage.Predictions.GetBlobClient(BlobName(model, version, Host)), snapshot, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Every host's latest counts for <paramref name="version"/>.</summary>
    public static async Task<IReadOnlyList<VersionTrafficCounts>> ReadAsync(PlatformStorage storage, string model, int version, CancellationToken ct)
    {
        var result = new List<VersionTrafficCounts>();
        try
        {
            await foreach (var item in storage.Predictions.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix(model, version) }, ct).ConfigureAwait(false))
            {
                if (await BlobJson.TryDownloadAsync<VersionTrafficCounts>(storage.Predictions.GetBlobClient(item.Name), ct).ConfigureAwait(false) is { } traffic)
                {
                    result.Add(traffic);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No predictions container yet: nobody has scored anything.
        }

        return result;
    }

    // Beside the models' log folders, never inside one: a model name cannot start with '_', so listing a model's
    // prediction log ({model}/…) never meets a counter.
    public static string Prefix(string model, int version) => $"_traffic/{model}/{version}/";

    public static string BlobName(string model, int version, string host) => $"{Prefix(model, version)}{host}.json";

    private void FlushInBackground()
    {
        if (Interlocked.Exchange(ref _flushing, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RequestFailedException or IOException or OperationCanceledException)
            {
                // Storage down: the counts only grow, the next flush writes them.
                foreach (var c in _counters.Values) c.Dirty = true;
            }
            finally
            {
                Volatile.Write(ref _flushing, 0);
            }
        });
    }

    public void Dispose() => _timer.Dispose();

    private sealed class Counters
    {
        public long Requests;
        public long Errors;
        public readonly long[] Latency = new long[LatencyHistogram.Buckets];
        public volatile bool Dirty;
    }
}
