using Serverless.Core.Datasets;
using Serverless.Core.Storage;

namespace Serverless.Core.FeatureStore;

/// <summary>A view's source rows: the newest snapshot of its dataset.</summary>
public sealed class FeatureSourceReader(PlatformStorage storage, FeatureViewFreshnessReader snapshots)
{
    /// <summary>The rows and the snapshot they came from; a <see cref="FeatureJoinException"/> when the dataset has none.</summary>
    public async Task<(TabularDataset Rows, DatasetManifest Snapshot)> ReadAsync(FeatureView view, CancellationToken ct) =>
        await TryReadAsync(view, ct).ConfigureAwait(false)
            ?? throw new FeatureJoinException($"Dataset '{view.Source.Dataset}', the source of feature view '{view.Name}', has no snapshot yet.");

    /// <summary>The rows and the snapshot they came from; null when the dataset has none yet.</summary>
    public async Task<(TabularDataset Rows, DatasetManifest Snapshot)?> TryReadAsync(FeatureView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (await snapshots.NewestSnapshotAsync(view.Source.Dataset, ct).ConfigureAwait(false) is not { } manifest) return null;
        var content = await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(manifest.Model, manifest.Sha256)).DownloadContentAsync(ct).ConfigureAwait(false);
        using var stream = content.Value.Content.ToStream();
        return (await DatasetSnapshot.ReadParquetAsync(stream, ct).ConfigureAwait(false), manifest);
    }
}
