using System.Globalization;
using Azure.Storage.Blobs.Models;
using Serverless.Core;
using Serverless.Core.Monitoring;
using Serverless.Core.Storage;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.App.Monitoring;

/// <summary>
/// Every drift report a model's checks wrote: one blob per check, <c>monitoring/{model}/drift/{id}.json</c>, whose id is
/// the check's UTC time (<c>yyyyMMddTHHmmssfffZ</c>), so names sort by time. Each blob carries its version, status and
/// drifted share as metadata, so a page of the history is one listing, not one download per report.
/// </summary>
public sealed class DriftReportHistory(PlatformStorage storage)
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 1000;

    private const string IdFormat = "yyyyMMdd'T'HHmmssfff'Z'";

    /// <summary>Whether <paramref name="id"/> is a report id (a time in <c>yyyyMMddTHHmmssfffZ</c>).</summary>
    public static bool IsValidId(string? id) => TryParseId(id, out _);

    public async Task SaveAsync(DriftReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        var blob = storage.Monitoring.GetBlobClient(BlobLayout.DriftReport(report.Model, report.At));
        await BlobJson.UploadAsync(blob, report, ct).ConfigureAwait(false);
        await blob.SetMetadataAsync(
            new Dictionary<string, string>
            {
                [MetadataKeys.Version] = report.Version.ToString(CultureInfo.InvariantCulture),
                [MetadataKeys.Status] = report.Status,
                [MetadataKeys.DriftedShare] = report.DriftedShare.ToString("R", CultureInfo.InvariantCulture),
            },
            cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>Reports newest first: up to <paramref name="limit"/> older than <paramref name="before"/> (an id; null: the newest).</summary>
    public async Task<DriftReportPage> ListAsync(string model, int limit, string? before, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        var prefix = BlobLayout.DriftPrefix(model);
        var older = new List<BlobItem>();
        await foreach (var item in storage.Monitoring.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata }, ct).ConfigureAwait(false))
        {
            var id = IdFromName(prefix, item.Name);
            if (id is not null && (before is null || string.CompareOrdinal(id, before) < 0)) older.Add(item);
        }

        // Listings come in name order, which is time order: the page is the tail, reversed.
        var page = older.Skip(Math.Max(0, older.Count - limit)).Reverse().Select(item => Summary(model, prefix, item)).ToList();
        return new DriftReportPage(model, page, older.Count > limit ? page[^1].Id : null);
    }

    /// <summary>The report with this id, or null when there is none.</summary>
    public Task<DriftReport?> GetAsync(string model, string id, CancellationToken ct) =>
        TryParseId(id, out var at)
            ? BlobJson.TryDownloadAsync<DriftReport>(storage.Monitoring.GetBlobClient(BlobLayout.DriftReport(model, at)), ct)
            : Task.FromResult<DriftReport?>(null);

    public async Task<DriftReport?> LatestAsync(string model, CancellationToken ct) =>
        (await ListAsync(model, 1, null, ct).ConfigureAwait(false)).Reports is [var newest]
            ? await GetAsync(model, newest.Id, ct).ConfigureAwait(false)
            : null;

    private static DriftReportSummary Summary(string model, string prefix, BlobItem item)
    {
        var id = IdFromName(prefix, item.Name)!;
        TryParseId(id, out var at);
        IDictionary<string, string> metadata = item.Metadata ?? new Dictionary<string, string>();
        return new DriftReportSummary(
            id,
            at,
            metadata.TryGetValue(MetadataKeys.Version, out var v) && int.TryParse(v, CultureInfo.InvariantCulture, out var version) ? version : null,
            metadata.TryGetValue(MetadataKeys.Status, out var status) ? status : null,
            metadata.TryGetValue(MetadataKeys.DriftedShare, out var s) && double.TryParse(s, CultureInfo.InvariantCulture, out var share) ? share : null,
            $"/{ApiRoutes.Prefix}/models/{model}/monitoring/reports/{id}");
    }

    private static string? IdFromName(string prefix, string name) =>
        name.EndsWith(".json", StringComparison.Ordinal) && name[prefix.Length..^".json".Length] is var id && IsValidId(id) ? id : null;

    private static bool TryParseId(string? id, out DateTimeOffset at) =>
        DateTimeOffset.TryParseExact(id, IdFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);

    /// <summary>Blob metadata names (lower case: Azure returns them so).</summary>
    private static class MetadataKeys
    {
        public const string Version = "version";
        public const string Status = "status";
        public const string DriftedShare = "driftedshare";
    }
}

/// <summary>One page of a model's drift history, newest first.</summary>
/// <param name="Next">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
public sealed record DriftReportPage(string Model, IReadOnlyList<DriftReportSummary> Reports, string? Next);

/// <summary>A drift report in the history; the full report is at <paramref name="Href"/>.</summary>
/// <param name="At">The check's time, to the millisecond (as in the id).</param>
/// <param name="Version">The champion version checked; null for reports written before the history had metadata.</param>
/// <param name="Status">drift, no-drift or insufficient-data; null as for Version.</param>
public sealed record DriftReportSummary(string Id, DateTimeOffset At, int? Version, string? Status, double? DriftedShare, string Href);
