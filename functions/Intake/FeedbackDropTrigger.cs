using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless.Core.Hosting;
using Serverless.Core.Storage;
using Serverless.App.Intake;

namespace Serverless.Functions.Intake;

/// <summary>A CSV of labels dropped at <c>feedback/{model}/incoming/{name}</c> is joined to logged predictions.</summary>
public sealed class FeedbackDropTrigger(FeedbackIntake intake, ILogger<FeedbackDropTrigger> logger)
{
    public const string Path = BlobLayout.FeedbackContainer + "/{model}/" + BlobLayout.IncomingSegment + "/{name}";

    // Event Grid source as for dataset drops (Flex Consumption); infra subscribes BlobCreated under /feedback/ too.
    [Function("FeedbackDrop")]
    public async Task Run(
        [BlobTrigger(Path, Source = BlobTriggerSource.EventGrid, Connection = PlatformOptions.DefaultStorageConnection)] BlobClient blob,
        FunctionContext context)
    {
        var result = await intake.HandleAsync(blob.Name, context.CancellationToken);
        logger.LogInformation("Feedback {Blob}: {Accepted}/{Received} accepted", blob.Name, result?.Accepted, result?.Received);
    }
}
