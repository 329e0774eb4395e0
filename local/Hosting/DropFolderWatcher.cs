using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.Local.Hosting;

/// <summary>
/// Local drops without Azure tools: moves each finished file under <c>drop/{model}/…</c> (<see cref="LocalHostOptions.DropFolder"/>)
/// to <c>datasets/{model}/incoming/…</c>, subfolders kept, where <see cref="DropWatcher"/> takes it in. A file is taken once
/// its size and write time held still from one scan to the next and it opens exclusively (no writer holds a lock);
/// the local file is deleted only after the upload committed. Files at the top level, folders that are not model
/// names and uploads refused by storage are logged once and stay where they are. Hidden files (editors' and
/// rsync's temporaries) are skipped.
/// </summary>
public sealed class DropFolderWatcher(PlatformStorage storage, IOptions<LocalHostOptions> options, ILogger<DropFolderWatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, (long Length, DateTime WrittenUtc)> _sightings = [];
    private readonly HashSet<string> _reported = [];

    /// <summary>The watched folder: <see cref="LocalHostOptions.DropFolder"/> under the repository root, or null when it is off.</summary>
    public string? Folder { get; } = Resolve(options.Value.DropFolder);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Folder is null) return;
        Directory.CreateDirectory(Folder);
        logger.LogInformation("Watching {Folder}: files copied into {Folder}/{{model}}/ are moved to datasets/{{model}}/incoming/", Folder, Folder);
        using var timer = new PeriodicTimer(options.Value.WatchInterval);
        do
        {
            try
            {
                await ScanAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Drop folder scan failed; retrying in {Interval}", options.Value.WatchInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass over the folder: moves what is finished, remembers what is not yet.</summary>
    public async Task ScanAsync(CancellationToken ct)
    {
        if (Folder is null || !Directory.Exists(Folder)) return;
        var present = new HashSet<string>();
        foreach (var entry in new DirectoryInfo(Folder).EnumerateFileSystemInfos("*", new EnumerationOptions()))
        {
            present.Add(entry.FullName);
            if (entry is not DirectoryInfo modelFolder)
            {
                if (FirstReport(entry.FullName)) logger.LogWarning("Drop folder: {Path} is not in a model folder and stays where it is; move it to {Folder}/<model>/", entry.FullName, Folder);
            }
            else if (!ModelName.IsValidModelName(modelFolder.Name))
            {
                if (FirstReport(entry.FullName)) logger.LogWarning("Drop folder: '{Name}' is not a model name ({Rule}); its files stay where they are until the folder is renamed", modelFolder.Name, ModelName.Rule);
            }
            else
            {
                foreach (var file in modelFolder.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true }))
                {
                    present.Add(file.FullName);
                    if (Finished(file) is { } stream) await MoveAsync(modelFolder, file, stream, ct).ConfigureAwait(false);
                }
            }
        }

        _sightings.Keys.Where(p => !present.Contains(p)).ToList().ForEach(p => _sightings.Remove(p));
        _reported.RemoveWhere(p => !present.Contains(p));
    }

    /// <summary>The file opened exclusively if it looked the same at the previous scan; null while it may still be written.</summary>
    private FileStream? Finished(FileInfo file)
    {
        var now = (file.Length, file.LastWriteTimeUtc);
        if (!_sightings.TryGetValue(file.FullName, out var before) || before != now)
        {
            _sightings[file.FullName] = now;
            return null;
        }

        try
        {
            return new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.None);
        }
        catch (IOException)
        {
            return null; // a writer still holds it
        }
    }

    private async Task MoveAsync(DirectoryInfo modelFolder, FileInfo file, FileStream stream, CancellationToken ct)
    {
        var relative = Path.GetRelativePath(modelFolder.FullName, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
        var blob = BlobLayout.IncomingBlob(modelFolder.Name, relative);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                // Never over an incoming blob not yet taken in: that one's run would read the new bytes.
                await storage.Datasets.GetBlobClient(blob).UploadAsync(stream, new BlobUploadOptions { Conditions = new() { IfNoneMatch = ETag.All } }, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                _sightings.Remove(file.FullName);
                if (FirstReport(file.FullName)) logger.LogWarning("Drop folder: datasets/{Blob} still waits to be taken in; {Path} stays and is moved once it is gone", blob, file.FullName);
                return;
            }
        }

        File.Delete(file.FullName);
        _sightings.Remove(file.FullName);
        logger.LogInformation("Drop folder: moved {Path} to datasets/{Blob}", file.FullName, blob);
        for (var dir = file.Directory; dir is not null && dir.FullName != modelFolder.FullName && !dir.EnumerateFileSystemInfos().Any(); dir = dir.Parent)
        {
            dir.Delete();
        }
    }

    /// <summary>True the first time a misplaced or refused path is seen (until it goes away), so each is logged once.</summary>
    private bool FirstReport(string path) => _reported.Add(path);

    private static string? Resolve(string folder) =>
        string.IsNullOrWhiteSpace(folder) ? null
        : Path.IsPathRooted(folder) ? folder
        : Path.Combine(RepositoryRoot.Find() ?? Directory.GetCurrentDirectory(), folder);
}
