using System.Collections.Concurrent;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Core.Storage;
using Serverless.Durable.Intake;

namespace Serverless.Local.Hosting;

/// <summary>
/// The local stand-in for the Functions blob trigger: lists <c>datasets/*/incoming/</c> on an interval and hands
/// each new blob to <see cref="DropIntake"/>, which de-duplicates by content hash, so re-seeing a blob is harmless.
/// </summary>
public sealed class DropWatcher(PlatformStorage storage, DropIntake intake, IOptions<LocalHostOptions> options, ILogger<DropWatcher> logger) : BackgroundService
{
    // Blob name + ETag already handed over; a re-upload under the same name has a new ETag and is seen again.
    private readonly ConcurrentDictionary<(string Name, string ETag), byte> _dispatched = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WatchInterval);
        do
        {
            try
            {
                await ScanAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Drop scan failed; retrying in {Interval}", options.Value.WatchInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public async Task ScanAsync(CancellationToken ct)
    {
        var seen = new HashSet<(string, string)>();
        var work = new List<Task>();
        await foreach (var blob in storage.Datasets.GetBlobsAsync(new GetBlobsOptions(), ct).ConfigureAwait(false))
        {
            if (!BlobLayout.TryParseIncoming(blob.Name, out _, out _))
            {
                continue;
            }

            var key = (blob.Name, blob.Properties.ETag?.ToString() ?? "");
            seen.Add(key);
            if (_dispatched.TryAdd(key, 0))
            {
                work.Add(DispatchAsync(blob.Name, key, ct));
            }
        }

        await Task.WhenAll(work).ConfigureAwait(false);

        // Forget blobs that are gone (archived), so the set stays as small as the incoming folders.
        foreach (var key in _dispatched.Keys)
        {
            if (!seen.Contains(key)) _dispatched.TryRemove(key, out _);
        }
    }

    private async Task DispatchAsync(string name, (string, string) key, CancellationToken ct)
    {
        try
        {
            var outcome = await intake.HandleAsync(name, ct).ConfigureAwait(false);
            logger.LogInformation("Drop {Blob}: {Status} {RunId} ({Detail})", name, outcome.Status, outcome.RunId, outcome.Detail);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _dispatched.TryRemove(key, out _);
            logger.LogWarning(e, "Could not hand over drop {Blob}; will retry on the next scan", name);
        }
    }
}
