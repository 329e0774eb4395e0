using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Http;
using Serverless.App.Intake;
using Serverless.Core.Runs;
using Serverless.Durable.Pipeline;

namespace Serverless.Functions.Http;

/// <summary>
/// Builds the handlers' <see cref="PlatformApiServices"/> per invocation: in Functions the durable client comes from
/// the <c>[DurableClient]</c> binding, not from DI, so the singleton the local host resolves cannot be used here.
/// </summary>
internal static class ApiServices
{
    public static PlatformApiServices For(FunctionContext context, DurableTaskClient client) =>
        ActivatorUtilities.CreateInstance<PlatformApiServices>(context.InstanceServices, Runs(context, client));

    /// <summary>Drop intake over this invocation's durable client.</summary>
    public static DropIntake Drops(FunctionContext context, DurableTaskClient client) =>
        ActivatorUtilities.CreateInstance<DropIntake>(context.InstanceServices, Runs(context, client));

    /// <summary>Runs are started and read through this invocation's durable client.</summary>
    public static IRunLauncher Runs(FunctionContext context, DurableTaskClient client) =>
        ActivatorUtilities.CreateInstance<DurableRunLauncher>(context.InstanceServices, client);

    /// <summary>The scoring handlers' services: singletons from DI, no durable client.</summary>
    public static ScoringApiServices Scoring(FunctionContext context) => context.InstanceServices.GetRequiredService<ScoringApiServices>();
}
