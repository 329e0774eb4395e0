using System.Diagnostics;
using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core;
using Serverless.Core.Runs;
using Serverless.Core.Storage;
using Serverless.Local.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// Issue #16 part 6: the local drop folder. Each scan is run by hand, so "still being written" is a fact of the test,
/// not a race with a timer; storage is an Azurite of its own, where no host's watcher takes the moved blobs away.
/// </summary>
public sealed class DropFolderTests : IAsyncLifetime
{
    private readonly PrivateAzurite _azurite = new(inMemory: true);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dropfolder-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingLogger _log = new();
    private PlatformStorage _storage = null!;
    private DropFolderWatcher _watcher = null!;

    public async Task InitializeAsync()
    {
        await _azurite.StartAsync();
        _storage = new PlatformStorage(new BlobServiceClient(_azurite.ConnectionString));
        await _storage.Datasets.CreateIfNotExistsAsync();
        _watcher = new DropFolderWatcher(_storage, Options.Create(new LocalHostOptions { DropFolder = _folder }), _log);
    }

    public async Task DisposeAsync()
    {
        _watcher.Dispose();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task A_finished_file_moves_to_the_model_s_incoming_folder_with_its_subfolders_and_leaves_the_drop()
    {
        var bytes = Samples.Csv(50);
        var file = Write("churn/2026/12/customers.csv", bytes);

        await _watcher.ScanAsync(default); // first sighting: not yet known to be finished
        Assert.True(File.Exists(file));
        await _watcher.ScanAsync(default);

        var blob = _storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob("churn", "2026/12/customers.csv"));
        Assert.Equal(bytes, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.False(File.Exists(file));
        Assert.False(Directory.Exists(Path.Combine(_folder, "churn", "2026")));
        Assert.True(Directory.Exists(Path.Combine(_folder, "churn")));
        Assert.Contains(_log.Lines, l => l.Contains("moved", StringComparison.Ordinal) && l.Contains("churn/incoming/2026/12/customers.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_still_being_written_is_not_taken_until_it_holds_still()
    {
        var bytes = Samples.Csv(400);
        var path = Path.Combine(_folder, "churn", "growing.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var blob = _storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob("churn", "growing.csv"));

        // A writer like cp: no lock, the file grows between scans.
        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
        {
            foreach (var part in bytes.Chunk(bytes.Length / 3 + 1))
            {
                await writer.WriteAsync(part);
                await writer.FlushAsync();
                await _watcher.ScanAsync(default);
                Assert.False(await blob.ExistsAsync(), $"taken at {writer.Length} of {bytes.Length} bytes");
            }
        }

        await _watcher.ScanAsync(default);
        Assert.Equal(bytes, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_file_a_writer_holds_exclusively_is_not_taken_even_when_it_holds_still()
    {
        var path = Path.Combine(_folder, "churn", "locked.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var blob = _storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob("churn", "locked.csv"));

        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await writer.WriteAsync(Samples.Csv(20));
            await writer.FlushAsync();
            for (var i = 0; i < 3; i++) await _watcher.ScanAsync(default);
            Assert.False(await blob.ExistsAsync());
        }

        await _watcher.ScanAsync(default);
        Assert.True(await blob.ExistsAsync());
    }

    [Fact]
    public async Task Files_outside_a_model_folder_are_reported_once_and_left_where_they_are()
    {
        var topLevel = Write("customers.csv", Samples.Csv(10));
        var badName = Write("Churn Model/customers.csv", Samples.Csv(10));

        for (var i = 0; i < 3; i++) await _watcher.ScanAsync(default);

        Assert.True(File.Exists(topLevel));
        Assert.True(File.Exists(badName));
        Assert.Single(_log.Lines, l => l.Contains(topLevel, StringComparison.Ordinal) && l.Contains("not in a model folder", StringComparison.Ordinal));
        Assert.Single(_log.Lines, l => l.Contains("'Churn Model' is not a model name", StringComparison.Ordinal));
        await foreach (var blob in _storage.Datasets.GetBlobsAsync()) Assert.Fail($"{blob.Name} was uploaded.");
    }

    [Fact]
    public async Task A_drop_whose_incoming_blob_still_waits_stays_and_moves_once_the_blob_is_taken_in()
    {
        var blob = _storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob("churn", "daily.csv"));
        await blob.UploadAsync(new BinaryData("earlier"));
        var file = Write("churn/daily.csv", Samples.Csv(10));

        for (var i = 0; i < 3; i++) await _watcher.ScanAsync(default);
        Assert.True(File.Exists(file));
        Assert.Equal("earlier", (await blob.DownloadContentAsync()).Value.Content.ToString());
        Assert.Single(_log.Lines, l => l.Contains("still waits to be taken in", StringComparison.Ordinal));

        await blob.DeleteAsync(); // the intake took the earlier one
        for (var i = 0; i < 2; i++) await _watcher.ScanAsync(default);
        Assert.False(File.Exists(file));
        Assert.Equal(Samples.Csv(10), (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public void An_empty_setting_turns_the_drop_folder_off_and_the_default_is_drop_under_the_repository_root()
    {
        static DropFolderWatcher Bound(params string[] args) => new(
            null!,
            Options.Create(new ConfigurationBuilder().AddCommandLine(args).Build().GetSection(LocalHostOptions.Section).Get<LocalHostOptions>() ?? new()),
            NullLogger<DropFolderWatcher>.Instance);

        Assert.Null(Bound("--LocalHost:DropFolder=").Folder);
        Assert.Equal(Path.Combine(RepositoryRoot.Find()!, "drop"), Bound("--LocalHost:Port=1").Folder);
    }

    private string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private sealed class RecordingLogger : ILogger<DropFolderWatcher>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception));
    }
}

/// <summary>The whole path: <c>cp</c> into the host's drop folder starts a training run.</summary>
public sealed class DropFolderEndToEndTests
{
    [Fact]
    public async Task A_csv_copied_with_cp_into_drop_churn_starts_a_run()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dropfolder-e2e-" + Guid.NewGuid().ToString("N"));
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var host = new LocalHostFixture { ConnectionString = azurite.ConnectionString, Configure = o => o.DropFolder = folder };
        await host.InitializeAsync();
        try
        {
            var model = Azurite.UniqueModel("dropfolder");
            await host.PutSpecAsync(model, Samples.AlwaysPromoteSpecJson());
            var source = Path.Combine(folder, "..", Path.GetFileName(folder) + ".csv");
            await File.WriteAllBytesAsync(source, Samples.Csv(300));
            Directory.CreateDirectory(Path.Combine(folder, model));

            using (var cp = Process.Start("cp", [source, Path.Combine(folder, model) + "/"]))
            {
                await cp.WaitForExitAsync();
                Assert.Equal(0, cp.ExitCode);
            }

            var run = await Eventually.UntilAsync(
                async () => (await host.Http.GetFromJsonAsync<RunPage>($"/api/models/{model}/runs", PlatformJson.Options))!.Runs.FirstOrDefault(),
                TimeSpan.FromSeconds(60),
                "a run for the dropped file");
            Assert.Equal(model, run.Model);
            Assert.False(File.Exists(Path.Combine(folder, model, Path.GetFileName(source))));
            File.Delete(source);
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}
