using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Core.Hosting;
using Serverless.Core.Storage;
using Serverless.Functions.Http;

namespace Serverless.Functions.Intake;

/// <summary>
/// A file dropped at <c>datasets/{model}/incoming/{name}</c> becomes (at most one) pipeline run per content hash.
/// </summary>
public sealed class DatasetDropTrigger(ILogger<DatasetDropTrigger> logger)
{
    public const string Path = BlobLayout.DatasetsContainer + "/{model}/" + BlobLayout.IncomingSegment + "/{name}";

    // Flex Consumption only supports Event Grid blob triggers: infra must create the Event Grid subscription
    // (storage account → blobs extension webhook of this function, BlobCreated under /datasets/) or nothing fires.
    [Function("DatasetDrop")]
    public async Task Run(
        [BlobTrigger(Path, Source = BlobTriggerSource.EventGrid, Connection = PlatformOptions.DefaultStorageConnection)] BlobClient blob,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        // The blob's own name, not {name}, so drops in folders under incoming/ keep their full path.
        var outcome = await ApiServices.Drops(context, client).HandleAsync(blob.Name, context.CancellationToken);
        logger.LogInformation("Drop {Blob}: {Status} {RunId} ({Detail})", blob.Name, outcome.Status, outcome.RunId, outcome.Detail);
    }
}
