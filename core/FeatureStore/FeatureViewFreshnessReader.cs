using Azure.Storage.Blobs.Models;
using Serverless.Core.Datasets;
using Serverless.Core.Storage;

namespace Serverless.Core.FeatureStore;

/// <summary>Freshness of a view from its source dataset's newest snapshot (the manifest last written wins).</summary>
public sealed class FeatureViewFreshnessReader(PlatformStorage storage, TimeProvider time)
{
    public async Task<FeatureFreshness> ReadAsync(FeatureView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (await NewestSnapshotAsync(view.Source.Dataset, ct).ConfigureAwait(false) is not { } manifest) return FeatureFreshness.None;
        return new(manifest.Sha256, manifest.Rows, manifest.ReceivedAt, Math.Max(0, (time.GetUtcNow() - manifest.ReceivedAt).TotalSeconds));
    }

    /// <summary>The manifest of the dataset's most recently written snapshot (ties on the second: the latest received), null when it has none.</summary>
    public async Task<DatasetManifest?> NewestSnapshotAsync(string dataset, CancellationToken ct)
    {
        if (!await storage.Datasets.ExistsAsync(ct).ConfigureAwait(false)) return null;
        var newest = new List<string>();
        DateTimeOffset? at = null;
        await foreach (var blob in storage.Datasets.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{dataset}/versions/" }, ct).ConfigureAwait(false))
        {
            if (!blob.Name.EndsWith("/manifest.json", StringComparison.Ordinal)) continue;
            if (at is null || blob.Properties.LastModified > at)
            {
                (at, newest) = (blob.Properties.LastModified, [blob.Name]);
            }
            else if (blob.Properties.LastModified == at)
            {
                newest.Add(blob.Name);
            }
        }

        DatasetManifest? latest = null;
        foreach (var name in newest)
        {
            var manifest = await BlobJson.TryDownloadAsync<DatasetManifest>(storage.Datasets.GetBlobClient(name), ct).ConfigureAwait(false);
            if (manifest is not null && (latest is null || manifest.ReceivedAt > latest.ReceivedAt)) latest = manifest;
        }

        return latest;
    }
}
