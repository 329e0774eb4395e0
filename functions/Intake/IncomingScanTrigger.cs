using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.App.Intake;
using Serverless.Functions.Http;

namespace Serverless.Functions.Intake;

/// <summary>
/// Every 10 s: hands new blobs under <c>datasets|feedback/{model}/incoming/</c> to their intakes by listing them.
/// For <c>func start</c> on Azurite, which raises no Event Grid events for the blob triggers. Disabled in Azure
/// (app setting <c>AzureWebJobs.IncomingScan.Disabled</c>), where Event Grid fires the triggers and a frequent
/// timer would keep a Flex Consumption instance awake.
/// </summary>
public sealed class IncomingScanTrigger(IncomingScanner scanner)
{
    public const string Name = "IncomingScan";

    [Function(Name)]
    public Task Run([TimerTrigger("*/10 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        scanner.ScanAsync(ApiServices.Drops(context, client), context.CancellationToken);
}
