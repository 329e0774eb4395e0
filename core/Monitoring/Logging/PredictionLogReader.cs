using System.Collections.Concurrent;
using System.Globalization;
using Azure.Storage.Blobs.Models;
using Serverless.Core.Datasets;
using Serverless.Core.Storage;

namespace Serverless.Core.Monitoring.Logging;

/// <summary>
/// Reads logged predictions back by time window. Log files never change once written, so each is parsed once
/// and kept (bounded) for the feedback index and repeated monitoring queries.
/// </summary>
public sealed class PredictionLogReader(PlatformStorage storage)
{
    private const int MaxCachedFiles = 512;
    private readonly ConcurrentDictionary<string, LoggedBatch> _files = new(StringComparer.Ordinal);

    /// <summary>Log files whose hour overlaps [<paramref name="from"/>, <paramref name="to"/>], optionally of one version.</summary>
    public async Task<IReadOnlyList<LoggedBatch>> ReadAsync(string model, DateTimeOffset from, DateTimeOffset to, int? version, CancellationToken ct)
    {
        var batches = new List<LoggedBatch>();
        for (var hour = Floor(from); hour <= to; hour = hour.AddHours(1))
        {
            batches.AddRange(await ReadHourAsync(model, hour, version, ct).ConfigureAwait(false));
        }

        return batches;
    }

    public async Task<IReadOnlyList<LoggedBatch>> ReadHourAsync(string model, DateTimeOffset hour, int? version, CancellationToken ct)
    {
        var result = new List<LoggedBatch>();
        await foreach (var item in storage.Predictions.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobLayout.PredictionHourPrefix(model, hour) }, ct).ConfigureAwait(false))
        {
            var fileVersion = VersionOf(item.Name);
            if (version is { } v && fileVersion != v)
            {
                continue;
            }

            if (!_files.TryGetValue(item.Name, out var batch))
            {
                var content = await storage.Predictions.GetBlobClient(item.Name).DownloadContentAsync(ct).ConfigureAwait(false);
                using var stream = content.Value.Content.ToStream();
                batch = new LoggedBatch(item.Name, fileVersion, await DatasetSnapshot.ReadParquetAsync(stream, ct).ConfigureAwait(false));
                if (_files.Count >= MaxCachedFiles)
                {
                    _files.Clear();
                }

                _files[item.Name] = batch;
            }

            result.Add(batch);
        }

        return result;
    }

    public static DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcDateTime.Year, t.UtcDateTime.Month, t.UtcDateTime.Day, t.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset TimestampOf(LoggedBatch batch, int row) =>
        DateTimeOffset.Parse(batch.Table[LoggedColumns.Timestamp].TextValues[row]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    // File names end "-v{version}-{guid}.parquet".
    private static int VersionOf(string name)
    {
        var end = name.LastIndexOf('-');
        var start = name.LastIndexOf("-v", end - 1, StringComparison.Ordinal);
        return int.Parse(name.AsSpan(start + 2, end - start - 2), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
