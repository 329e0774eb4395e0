using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Core.Hosting;
using Serverless.Core.Releases;
using Serverless.Durable.Pipeline.Activities;
using Serverless.Durable.Releases.Activities;

namespace Serverless.Durable.Releases;

/// <summary>The release orchestration's services and activities (part of <c>AddPipeline</c>).</summary>
public static class ReleaseServiceCollectionExtensions
{
    public static PlatformBuilder AddReleases(this PlatformBuilder platform)
    {
        var services = platform.Services;
        services.TryAddSingleton<ReleaseStore>();
        services.TryAddSingleton<GuardrailEvaluator>();
        services.TryAddSingleton<ReleaseEvents>();
        services.TryAddSingleton<ReleaseService>();
        services.TryAddTransient<StartRelease>();
        services.TryAddTransient<SetReleaseTraffic>();
        services.TryAddTransient<EvaluateGuardrails>();
        services.TryAddTransient<AwaitReleaseApproval>();
        services.TryAddTransient<PromoteRelease>();
        services.TryAddTransient<RollBackRelease>();
        return platform;
    }

    /// <summary>
    /// <see cref="IReleaseLauncher"/> (and the activity that uses it) over the <see cref="Microsoft.DurableTask.Client.DurableTaskClient"/>
    /// in DI: the local host. Functions binds the client per invocation instead.
    /// </summary>
    public static PlatformBuilder AddDurableReleaseLauncher(this PlatformBuilder platform)
    {
        platform.Services.TryAddSingleton<IReleaseLauncher, DurableReleaseLauncher>();
        platform.Services.TryAddTransient<LaunchRelease>();
        return platform;
    }
}
