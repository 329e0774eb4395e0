using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;
using Serverless.Core;
using Azure.Storage.Queues;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Durable;
using Serverless.Durable.Api;
using Serverless.Durable.Pipeline;
using Serverless.Local.Api;

namespace Serverless.Local.Hosting;

/// <summary>
/// Composes the local host: Azurite check, durable sidecar, worker + client, drop watcher and the HTTP API, in
/// one process. Tests build it the same way with other options.
/// </summary>
public static class LocalPlatform
{
    public static WebApplicationBuilder CreateBuilder(string[] args, Action<LocalHostOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(LocalHostOptions.Section).Get<LocalHostOptions>() ?? new LocalHostOptions();
        configure?.Invoke(options);
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);

        builder.Configuration["PlatformStorage"] ??= options.StorageConnectionString;
        builder.Services.AddServerlessPlatform(builder.Configuration, "PlatformStorage");

        var sidecar = new SidecarEndpoint(options.SidecarPort);
        builder.Services.AddSingleton(sidecar);

        // Registered before the worker: hosted services start in order and stop in reverse.
        builder.Services.AddHostedService<DurableSidecar>();
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.UseGrpc(sidecar.Address.ToString());
            b.AddTasks(r => r.AddPipelineTasks());
        });
        builder.Services.AddDurableTaskClient(b => b.UseGrpc(sidecar.Address.ToString()));
        builder.Services.AddPipelineClient();
        if (options.BackgroundServices)
        {
            builder.Services.AddHostedService<DropWatcher>();
            builder.Services.AddHostedService<MonitoringTimer>();
            builder.Services.AddHostedService<GpuResultListener>();
            if (options.RunGpuTrainer)
            {
                builder.Services.AddSingleton(sp => new GpuTrainingWorker(
                    sp.GetRequiredService<QueueServiceClient>(),
                    sp.GetRequiredService<RunArtifacts>(),
                    () => new CpuMlpCompute(),
                    sp.GetRequiredService<ILogger<GpuTrainingWorker>>(),
                    new GpuTrainingWorkerOptions { PollInterval = options.WatchInterval }));
                builder.Services.AddHostedService<LocalGpuTrainer>();
            }
        }

        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.ConfigureHttpJsonOptions(j => PlatformJson.Apply(j.SerializerOptions));
        builder.AddLocalTelemetry();

        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, options.Port));
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }

    /// <summary>Starts Azurite if needed (containers and tables are created by a hosted service at start).</summary>
    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder, CancellationToken ct = default)
    {
        var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<LocalHostOptions>>().Value;
        if (options.StartAzurite && options.StorageConnectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
        {
            await AzuriteLauncher.EnsureRunningAsync(options, app.Logger, ct).ConfigureAwait(false);
        }

        app.MapPlatformApi<ApiKeyFilter>();
        app.MapPrometheusScrapingEndpoint(LocalTelemetry.MetricsPath);
        return app;
    }
}
