using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Serverless.Core.Runs;

public static class RunLogRegistration
{
    /// <summary>The run log and the logging provider that writes to it, options from section <see cref="RunLogOptions.Section"/>.</summary>
    public static IServiceCollection AddRunLog(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(RunLog))) return services;
        services.AddOptions<RunLogOptions>().Configure(o => configuration.GetSection(RunLogOptions.Section).Bind(o));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunLog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, RunLogSink>());
        return services;
    }
}
