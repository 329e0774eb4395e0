using Azure.Storage.Blobs;

namespace Serverless.Core.Storage;

/// <summary>Typed access to the platform's containers over one <see cref="BlobServiceClient"/>.</summary>
public sealed class PlatformStorage(BlobServiceClient blobs)
{
    public BlobServiceClient Blobs { get; } = blobs;

    public BlobContainerClient Datasets => Blobs.GetBlobContainerClient(BlobLayout.DatasetsContainer);

    public BlobContainerClient Models => Blobs.GetBlobContainerClient(BlobLayout.ModelsContainer);

    public BlobContainerClient Registry => Blobs.GetBlobContainerClient(BlobLayout.RegistryContainer);

    public BlobContainerClient Quarantine => Blobs.GetBlobContainerClient(BlobLayout.QuarantineContainer);

    public BlobContainerClient Processed => Blobs.GetBlobContainerClient(BlobLayout.ProcessedContainer);

    public BlobContainerClient Runs => Blobs.GetBlobContainerClient(BlobLayout.RunsContainer);

    public BlobContainerClient Predictions => Blobs.GetBlobContainerClient(BlobLayout.PredictionsContainer);

    public BlobContainerClient Feedback => Blobs.GetBlobContainerClient(BlobLayout.FeedbackContainer);

    public BlobContainerClient Monitoring => Blobs.GetBlobContainerClient(BlobLayout.MonitoringContainer);

    public async Task EnsureContainersAsync(CancellationToken ct)
    {
        foreach (var name in BlobLayout.AllContainers)
        {
            await Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        }
    }
}
