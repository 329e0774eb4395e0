using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Storage;

/// <summary>A test host that dies without its exit handlers must not leave its Azurite running (one leaked in CI).</summary>
public sealed class PrivateAzuriteTests
{
    [Fact]
    public async Task Azurite_stops_when_the_process_that_started_it_lets_go()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        Assert.True(await Azurite.ListeningAsync([azurite.BlobPort]));

        azurite.Orphan();

        await Eventually.TrueAsync(async () => !await Azurite.ListeningAsync([azurite.BlobPort]), TimeSpan.FromSeconds(30), "Azurite to stop once its parent let go");
    }
}
