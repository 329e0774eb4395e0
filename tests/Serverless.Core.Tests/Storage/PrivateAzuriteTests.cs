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

    [Fact]
    public async Task Kill_at_exit_ends_the_launcher_and_Azurite_without_leaving_either_stopped()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var launcher = azurite.LauncherId!.Value;

        azurite.Kill();

        await Eventually.TrueAsync(async () => !await Azurite.ListeningAsync([azurite.BlobPort]), TimeSpan.FromSeconds(30), "Azurite to stop after Kill");
        await Eventually.TrueAsync(() => Task.FromResult(!IsAlive(launcher)), TimeSpan.FromSeconds(30), "the launcher to exit after Kill");
    }

    /// <summary>Alive and not a zombie: /proc/{pid}/stat's state field (a stopped launcher, 'T', counts as alive).</summary>
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!OperatingSystem.IsLinux() || !File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
