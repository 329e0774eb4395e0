using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Core.Storage;

namespace Serverless.App.Intake;

/// <summary>
/// Drop detection by listing instead of events: lists <c>{model}/incoming/</c> in the datasets and feedback
/// containers and hands each new blob to its intake. The local host scans on an interval; the Functions app has a
/// timer for it that is disabled in Azure (Event Grid fires there) and runs under <c>func start</c>, because
/// Azurite raises no Event Grid events. Both intakes tolerate seeing a blob twice, so a re-scan is harmless.
/// </summary>
public sealed class IncomingScanner(PlatformStorage storage, FeedbackIntake feedback, ILogger<IncomingScanner> logger)
{
    // Blob name + ETag already handed over; a re-upload under the same name has a new ETag and is seen again.
    private readonly ConcurrentDictionary<(string Container, string Name, string ETag), byte> _dispatched = new();

    /// <summary>One pass over both incoming areas; returns once every new blob has been handed over (or failed, to be retried next pass).</summary>
    public async Task ScanAsync(DropIntake datasets, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var seen = new HashSet<(string, string, string)>();
        var work = new List<Task>();
        await ScanContainerAsync(storage.Datasets, async (name, c) => (await datasets.HandleAsync(name, c).ConfigureAwait(false)).ToString(), seen, work, ct).ConfigureAwait(false);
        await ScanContainerAsync(storage.Feedback, async (name, c) => (await feedback.HandleAsync(name, c).ConfigureAwait(false))?.ToString() ?? "ignored", seen, work, ct).ConfigureAwait(false);
        await Task.WhenAll(work).ConfigureAwait(false);

        // Forget blobs that are gone (archived), so the set stays as small as the incoming folders.
        foreach (var key in _dispatched.Keys)
        {
            if (!seen.Contains(key)) _dispatched.TryRemove(key, out _);
        }
    }

    private async Task ScanContainerAsync(BlobContainerClient container, Func<string, CancellationToken, Task<string>> handle, HashSet<(string, string, string)> seen, List<Task> work, CancellationToken ct)
    {
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions(), ct).ConfigureAwait(false))
        {
            if (!BlobLayout.TryParseIncoming(blob.Name, out _, out _))
            {
                continue;
            }

            var key = (container.Name, blob.Name, blob.Properties.ETag?.ToString() ?? "");
            seen.Add(key);
            if (_dispatched.TryAdd(key, 0))
            {
                work.Add(DispatchAsync(key, handle, ct));
            }
        }
    }

    private async Task DispatchAsync((string Container, string Name, string ETag) key, Func<string, CancellationToken, Task<string>> handle, CancellationToken ct)
    {
        try
        {
            var outcome = await handle(key.Name, ct).ConfigureAwait(false);
            logger.LogInformation("Drop {Container}/{Blob}: {Outcome}", key.Container, key.Name, outcome);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _dispatched.TryRemove(key, out _);
            logger.LogWarning(e, "Could not hand over {Container}/{Blob}; will retry on the next scan", key.Container, key.Name);
        }
    }
}
