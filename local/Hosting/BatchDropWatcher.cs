using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.App;
using Serverless.App.BatchScoring;
using Serverless.Core.BatchScoring;
using Serverless.Core.Storage;

namespace Serverless.Local.Hosting;

/// <summary>
/// Starts a batch for each file under <c>scoring/{model}/incoming/</c>, listing every <see cref="LocalHostOptions.WatchInterval"/>
/// like <see cref="DropWatcher"/>. A finished batch moves its file out of incoming/; one blob name + ETag is one batch id,
/// so seeing a file again while it is being scored starts nothing.
/// </summary>
public sealed class BatchDropWatcher(PlatformStorage storage, BatchRequests batches, IOptions<LocalHostOptions> options, ILogger<BatchDropWatcher> logger) : BackgroundService
{
    private readonly HashSet<(string Name, string ETag)> _started = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WatchInterval);
        var container = storage.Blobs.GetBlobContainerClient(BatchLayout.Container);
        do
        {
            try
            {
                await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions(), stoppingToken).ConfigureAwait(false))
                {
                    var key = (blob.Name, blob.Properties.ETag?.ToString() ?? "");
                    if (!BatchLayout.TryParseIncoming(blob.Name, out _, out _) || _started.Contains(key))
                    {
                        continue;
                    }

                    var outcome = await batches.StartDropAsync(key.Name, key.Item2, stoppingToken).ConfigureAwait(false);
                    _started.Add(key);
                    logger.LogInformation("Batch drop {Blob}: {Outcome}", blob.Name, outcome is Outcome<BatchStarted>.Done d ? $"batch {d.Value.BatchId} started" : outcome.ToString());
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Batch drop scan failed; retrying in {Interval}", options.Value.WatchInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
