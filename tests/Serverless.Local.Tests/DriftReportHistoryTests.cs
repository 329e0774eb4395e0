using Azure.Storage.Blobs;
using Serverless.Core.Monitoring;
using Serverless.Core.Storage;
using Serverless.App.Monitoring;
using Serverless.Tests.Shared;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Local.Tests;

/// <summary>The drift report history on its own Azurite: pages newest first, ids, reports from before the metadata.</summary>
public sealed class DriftReportHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    private static DriftReport Report(string model, int minutes, string status) =>
        new(model, 3, T0.AddMinutes(minutes).AddTicks(4321), status, 1000, 200, status == DriftStatus.Drift, status == DriftStatus.Drift ? 0.5 : 0.25, [], null);

    [Fact(Timeout = 120_000)]
    public async Task Pages_run_newest_first_to_the_oldest_and_every_listed_report_reads_back()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var storage = new PlatformStorage(new BlobServiceClient(azurite.ConnectionString));
        await storage.Monitoring.CreateIfNotExistsAsync();
        var history = new DriftReportHistory(storage);

        // A report written before reports carried metadata, five current ones, and what must not be listed.
        var legacy = Report("m", -1, DriftStatus.NoDrift);
        await BlobJson.UploadAsync(storage.Monitoring.GetBlobClient(BlobLayout.DriftReport("m", legacy.At)), legacy, default);
        for (var i = 0; i < 5; i++)
        {
            await history.SaveAsync(Report("m", i, i == 3 ? DriftStatus.Drift : DriftStatus.NoDrift), default);
        }

        await history.SaveAsync(Report("m2", 10, DriftStatus.Drift), default);
        await storage.Monitoring.GetBlobClient("m/drift/notes.txt").UploadAsync(new BinaryData("not a report"));
        await storage.Monitoring.GetBlobClient(BlobLayout.MonitoringState("m")).UploadAsync(new BinaryData("{}"));

        var pages = new List<DriftReportPage>();
        string? before = null;
        do
        {
            pages.Add(await history.ListAsync("m", 2, before, default));
            before = pages[^1].Next;
        }
        while (before is not null);

        var listed = pages.SelectMany(p => p.Reports).ToList();
        Assert.Equal([2, 2, 2], pages.Select(p => p.Reports.Count));
        Assert.Equal(Enumerable.Range(-1, 6).Reverse().Select(i => T0.AddMinutes(i)), listed.Select(r => r.At));
        Assert.Equal("20261207T010400000Z", listed[0].Id);
        Assert.Equal("/api/models/m/monitoring/reports/20261207T010400000Z", listed[0].Href);
        Assert.Equal((3, DriftStatus.Drift, 0.5), (listed[1].Version, listed[1].Status, listed[1].DriftedShare));
        Assert.Equal(((int?)null, (string?)null, (double?)null), (listed[^1].Version, listed[^1].Status, listed[^1].DriftedShare));

        foreach (var summary in listed)
        {
            var report = (await history.GetAsync("m", summary.Id, default))!;
            Assert.InRange(report.At - summary.At, TimeSpan.Zero, TimeSpan.FromMilliseconds(1)); // ids keep milliseconds
        }

        Assert.Equal(T0.AddMinutes(4).AddTicks(4321), (await history.LatestAsync("m", default))!.At);
        Assert.Null(await history.GetAsync("m", "20261207T090000000Z", default));
        Assert.Null(await history.GetAsync("m", "../m2/drift/x", default));
        var other = await history.ListAsync("m2", 50, null, default);
        Assert.Equal(("m2", 1), (other.Model, other.Reports.Count));
        Assert.Empty((await history.ListAsync("none", 50, null, default)).Reports);
        Assert.Null(await history.LatestAsync("none", default));
    }
}
