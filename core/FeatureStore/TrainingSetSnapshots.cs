using System.Security.Cryptography;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.Core.FeatureStore;

/// <summary>
/// The snapshot a trainer outside the pipeline (the trainer job) reads. It cannot join feature views itself (its
/// identity reads only <c>datasets</c>, and the catalog lives with the pipeline), so for a spec that names views the
/// join runs here, before dispatch, and the training set is written as a snapshot of its own: data only, under the
/// SHA-256 of its bytes, no manifest (it is no dataset version; the run's lineage stays the label rows).
/// </summary>
public sealed class TrainingSetSnapshots(PlatformStorage storage, TrainingSetAssembler assembler)
{
    /// <summary>The SHA-256 to hand the trainer: the run's own snapshot, or that of its joined training set.</summary>
    public async Task<string> PrepareAsync(string runId, string model, string datasetSha256, ModelSpec? spec, CancellationToken ct)
    {
        spec ??= await BlobJson.DownloadAsync<ModelSpec>(storage.Runs.GetBlobClient(BlobLayout.RunSpec(model, runId)), ct).ConfigureAwait(false);
        if (spec.FeatureViews is not { Count: > 0 }) return datasetSha256;

        var labels = await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, datasetSha256)).DownloadContentAsync(ct).ConfigureAwait(false);
        TabularDataset labelRows;
        using (var stream = labels.Value.Content.ToStream())
        {
            labelRows = await DatasetSnapshot.ReadParquetAsync(stream, ct).ConfigureAwait(false);
        }

        var parquet = await DatasetVersions.ToParquetAsync(await assembler.AssembleAsync(spec, labelRows, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var sha = Convert.ToHexStringLower(SHA256.HashData(parquet));
        // Same bytes, same name: a retried dispatch rewrites the same blob.
        await storage.Datasets.GetBlobClient(BlobLayout.DatasetData(model, sha)).UploadAsync(new BinaryData(parquet), overwrite: true, ct).ConfigureAwait(false);
        return sha;
    }
}
