using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Serverless.App.Hosting;
using Serverless.Core.Hosting;
using Serverless.Durable;

namespace Serverless.Functions.Hosting;

/// <summary>Composes the Functions worker, so tests can build the same host Program.cs runs.</summary>
public static class FunctionsHost
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        // Before any LightGBM fit can load lib_lightgbm.so (see OpenMpRuntime).
        var openMp = OpenMpRuntime.Preload(AppContext.BaseDirectory);
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.Services.AddSingleton(openMp).AddHostedService<OpenMpPreloadReport>();
        builder.ConfigureFunctionsWebApplication();

        // Same services and JSON shape as the local host; storage is the Functions host's own account. The durable
        // client comes per invocation from [DurableClient], so the triggers build what wraps it (see Http/ApiServices).
        builder.Services.AddServerlessPlatform(builder.Configuration).AddPlatformApi().AddPipeline();

        // Exports only where Application Insights is configured, so `func start` needs no telemetry setup.
        builder.AddWebDefaults("serverless-functions").UseFunctionsWorkerDefaults();
        return builder;
    }
}
