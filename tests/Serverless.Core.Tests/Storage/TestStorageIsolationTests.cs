using Azure.Storage.Blobs;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Storage;

/// <summary>
/// The tests' storage is their own: a developer's host on Azurite's default ports (the demo) and `npm test` beside
/// it once trained each other's models and processed each other's drops.
/// </summary>
public sealed class TestStorageIsolationTests
{
    private static readonly int[] DefaultPorts = [10000, 10001, 10002];

    [Fact]
    public async Task Tests_use_a_private_account_on_ports_other_than_the_default_ones()
    {
        await Azurite.EnsureRunningAsync();
        var blobs = new BlobServiceClient(Azurite.ConnectionString);

        Assert.DoesNotContain("UseDevelopmentStorage", Azurite.ConnectionString, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual("devstoreaccount1", blobs.AccountName);
        Assert.DoesNotContain(blobs.Uri.Port, DefaultPorts);

        // And it is a live Azurite that answers as that account.
        var container = blobs.GetBlobContainerClient("isolation");
        await container.CreateIfNotExistsAsync();
        Assert.True(await container.ExistsAsync());
    }
}
