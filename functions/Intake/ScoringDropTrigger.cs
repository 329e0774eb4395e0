using Azure;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.App;
using Serverless.App.BatchScoring;
using Serverless.Core.Hosting;
using Serverless.Core.Storage;
using Serverless.Functions.Http;

namespace Serverless.Functions.Intake;

/// <summary>
/// A file dropped at <c>scoring/{model}/incoming/{name}</c> starts a batch (one per blob name and ETag, so a redelivered
/// event starts nothing new), as the local host's <c>BatchDropWatcher</c> does.
/// </summary>
public sealed class ScoringDropTrigger(ILogger<ScoringDropTrigger> logger)
{
    public const string Path = BlobLayout.ScoringContainer + "/{model}/" + BlobLayout.IncomingSegment + "/{name}";

    // Event Grid source as for dataset drops (Flex Consumption); infra subscribes BlobCreated under /scoring/…/incoming/.
    [Function("ScoringDrop")]
    public async Task Run(
        [BlobTrigger(Path, Source = BlobTriggerSource.EventGrid, Connection = PlatformOptions.DefaultStorageConnection)] BlobClient blob,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        ETag etag;
        try
        {
            etag = (await blob.GetPropertiesAsync(cancellationToken: context.CancellationToken).ConfigureAwait(false)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            logger.LogInformation("Batch drop {Blob}: already scored and moved", blob.Name);
            return;
        }

        var outcome = await BatchScoringFunctions.Batches(context, client).StartDropAsync(blob.Name, etag.ToString(), context.CancellationToken).ConfigureAwait(false);
        logger.LogInformation("Batch drop {Blob}: {Outcome}", blob.Name, outcome is Outcome<BatchStarted>.Done d ? $"batch {d.Value.BatchId} started" : outcome.ToString());
    }
}
