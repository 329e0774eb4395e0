using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Core.FeatureStore;
using Serverless.Durable.Pipeline.Features;

namespace Serverless.Functions.Pipeline;

/// <summary>The Functions face of feature materialization: its orchestration, its activity and the timer that starts it every 15 minutes.</summary>
public sealed class FeatureMaterializationFunctions(MaterializeFeatureView materialize, FeatureViewCatalog catalog, TimeProvider time, ILogger<FeatureMaterializationFunctions> logger)
{
    [Function(FeatureMaterialization.Name)]
    public static Task<IReadOnlyList<MaterializationResult>> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) =>
        FeatureMaterialization.RunAsync(context, context.GetInput<IReadOnlyList<string>>()!);

    [Function(MaterializeFeatureView.Name)]
    public Task<MaterializationResult> Materialize([ActivityTrigger] MaterializeRequest request, FunctionContext context) => materialize.RunAsync(request, context.CancellationToken);

    [Function("FeatureMaterializationTimer")]
    public async Task Timer([TimerTrigger("0 */15 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        if (await FeatureMaterialization.StartAsync(client, catalog, time, context.CancellationToken) is { } id) logger.LogInformation("Feature materialization {Instance} started", id);
    }
}
