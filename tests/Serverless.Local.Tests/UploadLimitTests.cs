using System.Net;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Core.Scoring;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// Issue #11 item 1: <c>POST /api/models/{model}/runs</c> streams a dataset body to blob storage; a body past
/// <see cref="ScoringOptions.MaxUploadBytes"/> is a 413 naming the limit, whether its length was declared or not,
/// and nothing is stored.
/// </summary>
public sealed class UploadLimitTests
{
    private const long Limit = 64 * 1024;

    [Fact]
    public async Task An_upload_over_the_cap_gets_413_naming_the_limit_and_nothing_is_stored()
    {
        // No background loops: only the endpoint is under test, and such a host may share the test Azurite.
        var host = new LocalHostFixture
        {
            Configure = o => o.BackgroundServices = false,
            ConfigureServices = s => s.Configure<ScoringOptions>(o => o.MaxUploadBytes = Limit),
        };
        await host.InitializeAsync();
        try
        {
            var model = Azurite.UniqueModel("upcap");
            await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
            var body = new byte[(Limit * 3) + 17];
            new Random(5).NextBytes(body);

            // Declared too long: refused before a byte is read.
            var declared = await host.Http.PostAsync($"/api/models/{model}/runs", new ByteArrayContent(body));
            // Chunked (no length): refused at the first byte past the cap, after blocks may have been staged.
            var chunked = await host.Http.PostAsync($"/api/models/{model}/runs", new StreamContent(new NoLengthStream(body)));

            foreach (var response in new[] { declared, chunked })
            {
                var detail = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{response.StatusCode}: {detail}");
                Assert.Contains($"limited to {Limit} bytes", detail, StringComparison.Ordinal);
            }

            Assert.Null(chunked.RequestMessage!.Content!.Headers.ContentLength);
            var stored = new List<string>();
            await foreach (var blob in host.Storage.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, $"{model}/", default))
            {
                stored.Add(blob.Name);
            }

            // Staged blocks of the refused upload are never committed; the service discards them.
            Assert.All(stored, name => Assert.DoesNotContain("/uploads/", name, StringComparison.Ordinal));
            var committed = new List<string>();
            await foreach (var blob in host.Storage.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.None, BlobLayout.UploadBlob(model, ""), default))
            {
                committed.Add(blob.Name);
            }

            Assert.Empty(committed);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>A body whose length the client cannot know up front, so it is sent chunked.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
