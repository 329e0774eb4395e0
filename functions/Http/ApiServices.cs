using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Durable.Api;
using Serverless.Durable.Pipeline;

namespace Serverless.Functions.Http;

/// <summary>
/// Builds the handlers' <see cref="PlatformApiServices"/> per invocation: in Functions the durable client comes from
/// the <c>[DurableClient]</c> binding, not from DI, so the singleton the local host resolves cannot be used here.
/// </summary>
internal static class ApiServices
{
    public static PlatformApiServices For(FunctionContext context, DurableTaskClient client)
    {
        var services = context.InstanceServices;
        var pipeline = new PipelineClient(client, services.GetRequiredService<TimeProvider>());
        return ActivatorUtilities.CreateInstance<PlatformApiServices>(services, pipeline);
    }

    /// <summary>The scoring handlers' services: singletons from DI, no durable client.</summary>
    public static ScoringApiServices Scoring(FunctionContext context) => context.InstanceServices.GetRequiredService<ScoringApiServices>();
}
