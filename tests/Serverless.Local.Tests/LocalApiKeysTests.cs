using Microsoft.Extensions.DependencyInjection;
using Serverless.Local.Hosting;

namespace Serverless.Local.Tests;

/// <summary>The local host's keys: generated once (random, owner-only files), then read back unchanged.</summary>
public sealed class LocalApiKeysTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "keys-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_first_run_generates_two_distinct_random_keys_and_later_runs_reuse_them()
    {
        var first = LocalApiKeys.LoadOrCreate(_directory, out var created);
        var second = LocalApiKeys.LoadOrCreate(_directory, out var createdAgain);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first, second);
        Assert.NotEqual(first.Scoring, first.Admin);
        foreach (var key in new[] { first.Scoring, first.Admin })
        {
            Assert.Equal(43, key.Length); // 32 bytes, Base64url without padding
            Assert.Matches("^[A-Za-z0-9_-]+$", key);
        }

        Assert.NotEqual(first.Admin, LocalApiKeys.LoadOrCreate(Path.Combine(_directory, "other"), out _).Admin);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, LocalApiKeys.AdminFile)));
        }
    }

    [Fact]
    public void A_missing_key_file_is_regenerated_alone()
    {
        var first = LocalApiKeys.LoadOrCreate(_directory, out _);
        File.Delete(Path.Combine(_directory, LocalApiKeys.ScoringFile));

        var second = LocalApiKeys.LoadOrCreate(_directory, out var created);

        Assert.True(created);
        Assert.Equal(first.Admin, second.Admin);
        Assert.NotEqual(first.Scoring, second.Scoring);
    }

    [Fact]
    public void The_keys_folder_is_git_ignored()
    {
        var root = RepositoryRoot.Find()!;
        Assert.Contains(".local/", File.ReadAllLines(Path.Combine(root, ".gitignore")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The host's first run with no keys configured takes them from (and creates) its keys folder.</summary>
public sealed class LocalHostKeyResolutionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "host-keys-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_host_without_configured_keys_uses_the_generated_ones()
    {
        var builder = LocalPlatform.CreateBuilder([], o => (o.KeysDirectory, o.StartAzurite, o.BackgroundServices) = (_directory, false, false));
        await using var app = builder.Build();

        var keys = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Serverless.App.Http.Auth.ApiKeyOptions>>().Value;
        Assert.Equal(File.ReadAllText(Path.Combine(_directory, LocalApiKeys.ScoringFile)), keys.ScoringKey);
        Assert.Equal(File.ReadAllText(Path.Combine(_directory, LocalApiKeys.AdminFile)), keys.AdminKey);
        Assert.NotEqual("local-dev-key", keys.AdminKey);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
