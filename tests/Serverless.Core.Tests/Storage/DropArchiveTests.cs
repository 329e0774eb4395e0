using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Storage;

/// <summary>
/// Archive, report, delete (<see cref="DropArchive"/>), the one path by which dataset drops, duplicates and feedback
/// files leave <c>incoming/</c>: nothing is deleted before its copy and report are stored, and only the version read.
/// </summary>
public sealed class DropArchiveTests
{
    private sealed record Report(string Verdict);

    [Fact]
    public async Task The_drop_is_deleted_only_after_its_copy_and_report_are_stored()
    {
        var requests = new RequestLog();
        var (incoming, archive) = await ContainersAsync(requests);
        var drop = await UploadAsync(incoming, "m/incoming/data.csv", "a,b\n1,2\n");

        var archived = await DropArchive.ArchiveAndDeleteAsync(drop, archive.GetBlobClient("m/x/data.csv"), Content("a,b\n1,2\n"), archive.GetBlobClient("m/x/report.json"), new Report("accepted"), CancellationToken.None);

        Assert.False(await drop.Blob.ExistsAsync());
        Assert.Equal("a,b\n1,2\n", (await archived.Copy.DownloadContentAsync()).Value.Content.ToString());
        Assert.Contains("accepted", (await archive.GetBlobClient("m/x/report.json").DownloadContentAsync()).Value.Content.ToString());

        var order = requests.Entries.Where(e => e.Method is "PUT" or "DELETE").ToList();
        var delete = order.FindIndex(e => e.Method == "DELETE" && e.Path.EndsWith("m/incoming/data.csv", StringComparison.Ordinal));
        var copy = order.FindIndex(e => e.Method == "PUT" && e.Path.EndsWith("m/x/data.csv", StringComparison.Ordinal));
        var report = order.FindIndex(e => e.Method == "PUT" && e.Path.EndsWith("m/x/report.json", StringComparison.Ordinal));
        var trace = string.Join(" | ", order);
        Assert.True(copy >= 0 && report >= 0 && delete > copy && delete > report, trace);
    }

    [Fact]
    public async Task A_failed_archive_write_leaves_the_drop_in_place()
    {
        var (incoming, archive) = await ContainersAsync(new RequestLog());
        var drop = await UploadAsync(incoming, "m/incoming/data.csv", "x\n1\n");
        var missing = archive.GetParentBlobServiceClient().GetBlobContainerClient($"absent{Guid.NewGuid():N}");

        // The copy's container does not exist, then the report's: either failure keeps the drop.
        await Assert.ThrowsAsync<RequestFailedException>(() => DropArchive.ArchiveAndDeleteAsync(drop, missing.GetBlobClient("copy.csv"), Content("x\n1\n"), archive.GetBlobClient("report.json"), new Report("r"), CancellationToken.None));
        Assert.True(await drop.Blob.ExistsAsync());
        await Assert.ThrowsAsync<RequestFailedException>(() => DropArchive.ArchiveAndDeleteAsync(drop, archive.GetBlobClient("copy.csv"), Content("x\n1\n"), missing.GetBlobClient("report.json"), new Report("r"), CancellationToken.None));
        Assert.True(await drop.Blob.ExistsAsync());
    }

    [Fact]
    public async Task A_newer_upload_under_the_same_name_is_not_deleted()
    {
        var (incoming, archive) = await ContainersAsync(new RequestLog());
        var drop = await UploadAsync(incoming, "m/incoming/data.csv", "old\n");
        var archived = await DropArchive.ArchiveAsync(drop, archive.GetBlobClient("copy.csv"), Content("old\n"), CancellationToken.None);

        await drop.Blob.UploadAsync(BinaryData.FromString("new\n"), overwrite: true);

        Assert.False(await DropArchive.DeleteAsync(archived, CancellationToken.None));
        Assert.Equal("new\n", (await drop.Blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task Deleting_a_drop_that_is_already_gone_reports_false()
    {
        var (incoming, archive) = await ContainersAsync(new RequestLog());
        var drop = await UploadAsync(incoming, "m/incoming/data.csv", "x\n");
        var archived = await DropArchive.ArchiveAsync(drop, archive.GetBlobClient("copy.csv"), Content("x\n"), CancellationToken.None);

        Assert.True(await DropArchive.DeleteAsync(archived, CancellationToken.None));
        Assert.False(await DropArchive.DeleteAsync(archived, CancellationToken.None));
        Assert.False(await DropArchive.DeleteAsync(DropArchive.Recorded(drop with { Version = null }, archived.Copy), CancellationToken.None));
    }

    private static Stream Content(string text) => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));

    private static async Task<DroppedFile> UploadAsync(BlobContainerClient container, string name, string text)
    {
        var blob = container.GetBlobClient(name);
        var info = await blob.UploadAsync(BinaryData.FromString(text), overwrite: true);
        return new DroppedFile(blob, info.Value.ETag);
    }

    private static async Task<(BlobContainerClient Incoming, BlobContainerClient Archive)> ContainersAsync(RequestLog log)
    {
        await Azurite.EnsureRunningAsync();
        var options = new BlobClientOptions();
        options.AddPolicy(log, HttpPipelinePosition.PerCall);
        var blobs = new BlobServiceClient(Azurite.ConnectionString, options);
        var id = Guid.NewGuid().ToString("N");
        var incoming = blobs.GetBlobContainerClient($"in{id}");
        var archive = blobs.GetBlobContainerClient($"ar{id}");
        await incoming.CreateIfNotExistsAsync();
        await archive.CreateIfNotExistsAsync();
        return (incoming, archive);
    }

    private sealed class RequestLog : HttpPipelineSynchronousPolicy
    {
        public ConcurrentQueue<(string Method, string Path)> Queue { get; } = new();

        public IReadOnlyList<(string Method, string Path)> Entries => [.. Queue];

        public override void OnSendingRequest(HttpMessage message) =>
            Queue.Enqueue((message.Request.Method.Method, Uri.UnescapeDataString(message.Request.Uri.Path)));
    }
}
