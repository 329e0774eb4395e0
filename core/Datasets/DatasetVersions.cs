using Serverless.Core.Storage;

namespace Serverless.Core.Datasets;

/// <summary>
/// <c>datasets/{model}/versions/{sha}/</c>: a Parquet snapshot and its manifest, written in that order so a manifest
/// means a complete version. Ingest writes them for a dropped file, monitoring for a feedback-merged dataset.
/// </summary>
public static class DatasetVersions
{
    public static async Task<byte[]> ToParquetAsync(TabularDataset data, CancellationToken ct)
    {
        using var parquet = new MemoryStream();
        await DatasetSnapshot.WriteParquetAsync(data, parquet, ct).ConfigureAwait(false);
        return parquet.ToArray();
    }

    public static async Task WriteAsync(PlatformStorage storage, DatasetManifest manifest, byte[] parquet, CancellationToken ct)
    {
        await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(manifest.Model, manifest.Sha256)).UploadAsync(new BinaryData(parquet), overwrite: true, ct).ConfigureAwait(false);
        await WriteManifestAsync(storage, manifest, ct).ConfigureAwait(false);
    }

    /// <summary>The manifest alone, once the snapshot is in place (a snapshot committed from staged blocks).</summary>
    public static Task WriteManifestAsync(PlatformStorage storage, DatasetManifest manifest, CancellationToken ct) =>
        BlobJson.UploadAsync(storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(manifest.Model, manifest.Sha256)), manifest, ct);
}
