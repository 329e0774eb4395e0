using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Storage;

namespace Serverless.App.Datasets;

/// <summary>
/// A model's dataset versions (manifest and the validation report of the file each came from) and its quarantined
/// drops (report with the row problems), read from where ingest archives them.
/// </summary>
public sealed class DatasetCatalog(PlatformStorage storage)
{
    /// <summary>Listing reads one blob per entry; the newest this many are returned.</summary>
    public const int MaxListed = 200;

    /// <summary>The model's dataset versions, newest first.</summary>
    public async Task<IReadOnlyList<DatasetManifest>> ListVersionsAsync(string model, CancellationToken ct)
    {
        var names = await NamesEndingAsync(storage.Datasets, $"{model}/versions/", "/manifest.json", ct).ConfigureAwait(false);
        var manifests = await Task.WhenAll(names.Select(n => BlobJson.TryDownloadAsync<DatasetManifest>(storage.Datasets.GetBlobClient(n.Name), ct))).ConfigureAwait(false);
        return manifests.OfType<DatasetManifest>().OrderByDescending(m => m.ReceivedAt).ToList();
    }

    /// <summary>One version's manifest and validation report (none for versions the platform merged itself); null when unknown.</summary>
    public async Task<DatasetVersionDetail?> GetVersionAsync(string model, string sha256, CancellationToken ct)
    {
        var manifest = BlobJson.TryDownloadAsync<DatasetManifest>(storage.Datasets.GetBlobClient(BlobLayout.DatasetManifest(model, sha256)), ct);
        var report = BlobJson.TryDownloadAsync<ValidationReport>(storage.Processed.GetBlobClient(BlobLayout.ProcessedPrefix(model, sha256) + BlobLayout.ReportName), ct);
        return await manifest.ConfigureAwait(false) is { } m ? new DatasetVersionDetail(m, await report.ConfigureAwait(false)) : null;
    }

    /// <summary>The model's rejected drops, newest first.</summary>
    public async Task<IReadOnlyList<QuarantinedDrop>> ListQuarantinedAsync(string model, CancellationToken ct)
    {
        var names = await NamesEndingAsync(storage.Quarantine, $"{model}/", "/" + BlobLayout.ReportName, ct).ConfigureAwait(false);
        var drops = await Task.WhenAll(names.Select(async n =>
        {
            var report = await BlobJson.TryDownloadAsync<ValidationReport>(storage.Quarantine.GetBlobClient(n.Name), ct).ConfigureAwait(false);
            return report is null ? null : new QuarantinedDrop(n.Name.Split('/')[1], n.At, report);
        })).ConfigureAwait(false);
        return drops.OfType<QuarantinedDrop>().OrderByDescending(d => d.QuarantinedAt).ToList();
    }

    /// <summary>The quarantine report of the drop whose bytes hash to <paramref name="sha256"/>; null when none was rejected.</summary>
    public async Task<QuarantinedDrop?> GetQuarantinedAsync(string model, string sha256, CancellationToken ct)
    {
        var blob = storage.Quarantine.GetBlobClient(BlobLayout.QuarantinePrefix(model, sha256) + BlobLayout.ReportName);
        try
        {
            var content = (await blob.DownloadContentAsync(ct).ConfigureAwait(false)).Value;
            var report = content.Content.ToObjectFromJson<ValidationReport>(PlatformJson.Options);
            return report is null ? null : new QuarantinedDrop(sha256, content.Details.LastModified, report);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>A dataset version id is the hex SHA-256 of the file's bytes.</summary>
    public static bool IsValidVersion(string sha256) => sha256.Length == 64 && sha256.All(char.IsAsciiHexDigitLower);

    private static async Task<List<(string Name, DateTimeOffset At)>> NamesEndingAsync(BlobContainerClient container, string prefix, string suffix, CancellationToken ct)
    {
        var found = new List<(string, DateTimeOffset)>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, ct).ConfigureAwait(false))
        {
            if (item.Name.EndsWith(suffix, StringComparison.Ordinal))
            {
                found.Add((item.Name, item.Properties.LastModified ?? DateTimeOffset.MinValue));
            }
        }

        return found.OrderByDescending(f => f.Item2).Take(MaxListed).ToList();
    }
}
