using Azure.Storage.Blobs.Models;
using Serverless.Core.Storage;

namespace Serverless.Core.Releases;

/// <summary>Release records in the registry container, beside the versions they move traffic between.</summary>
public sealed class ReleaseStore(PlatformStorage storage)
{
    public static string Prefix(string model) => $"{model}/releases/";

    public static string BlobName(string model, string releaseId) => $"{Prefix(model)}{releaseId}.json";

    public Task<ReleaseRecord?> GetAsync(string model, string releaseId, CancellationToken ct) =>
        BlobJson.TryDownloadAsync<ReleaseRecord>(storage.Registry.GetBlobClient(BlobName(model, releaseId)), ct);

    public Task SaveAsync(ReleaseRecord record, CancellationToken ct) =>
        BlobJson.UploadAsync(storage.Registry.GetBlobClient(BlobName(record.Model, record.Id)), record, ct);

    /// <summary>The model's releases, newest first.</summary>
    public async Task<IReadOnlyList<ReleaseRecord>> ListAsync(string model, CancellationToken ct)
    {
        var result = new List<ReleaseRecord>();
        await foreach (var item in storage.Registry.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix(model) }, ct).ConfigureAwait(false))
        {
            if (await BlobJson.TryDownloadAsync<ReleaseRecord>(storage.Registry.GetBlobClient(item.Name), ct).ConfigureAwait(false) is { } record)
            {
                result.Add(record);
            }
        }

        return [.. result.OrderByDescending(r => r.StartedAt)];
    }
}
