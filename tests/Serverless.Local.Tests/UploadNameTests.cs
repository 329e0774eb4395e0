using System.Net;
using System.Net.Http.Json;
using Azure.Storage.Blobs.Models;
using Serverless.App.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Runs;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>Issue #12 item 9: a client's <c>fileName</c> is recorded, never used as a blob path.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class UploadNameTests(LocalHostFixture host)
{
    public static TheoryData<string, string> HostileNames => new()
    {
        { "dot-dot", "../../registry/x/aliases.json" },
        { "backslash", @"..\..\processed\evil.csv" },
        { "nul", "a\0b.csv" },
        { "crlf", "a\r\nx-ms-meta-evil: 1.csv" },
        { "long", new string('n', 1_200) + ".csv" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task An_upload_is_stored_under_a_generated_name_and_the_clients_name_is_only_recorded(string label, string fileName)
    {
        var model = Azurite.UniqueModel("upload-" + label);
        await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
        var bytes = Samples.Csv(300, seed: 50 + label.Length);

        var response = await host.Http.PostAsync($"/api/models/{model}/runs?fileName={Uri.EscapeDataString(fileName)}", new ByteArrayContent(bytes));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var started = (await response.Content.ReadFromJsonAsync<RunStarted>(PlatformJson.Options))!;
        var run = await host.WaitForRunAsync(started.RunId);

        Assert.Equal(RunOutcomes.Promoted, run.Result?.Outcome);
        var input = run.Input!;
        Assert.Equal(fileName, input.ClientFileName);
        Assert.Matches("^upload-[0-9]{17}-[0-9a-f]{8}$", input.SourceName);
        Assert.Equal(BlobLayout.UploadBlob(model, input.SourceName), input.SourceBlob);

        // The upload blob is consumed by ingest; whatever is left under uploads/ has a generated name.
        Assert.All(await ListAsync(host.Storage.Datasets, $"{model}/uploads/"), b => Assert.Equal(input.SourceBlob, b.Name));

        var sha = ContentHash.Sha256Hex(new MemoryStream(bytes));
        var archived = await ListAsync(host.Storage.Processed, $"{model}/");
        Assert.All(archived, b => Assert.StartsWith(BlobLayout.ProcessedPrefix(model, sha), b.Name, StringComparison.Ordinal));
        var copy = Assert.Single(archived, b => b.Name == BlobLayout.ProcessedPrefix(model, sha) + input.SourceName);
        Assert.Equal(fileName, Uri.UnescapeDataString(copy.Metadata[ClientFileName.MetadataKey]));
        Assert.All(copy.Metadata[ClientFileName.MetadataKey], c => Assert.InRange(c, '!', '~')); // header-safe ASCII
        Assert.Empty(await ListAsync(host.Storage.Registry, "x/"));
    }

    private static async Task<List<BlobItem>> ListAsync(Azure.Storage.Blobs.BlobContainerClient container, string prefix)
    {
        var items = new List<BlobItem>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, default)) items.Add(item);
        return items;
    }
}
