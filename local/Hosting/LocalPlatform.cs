using Serverless.App.Releases;
using Serverless.Durable.Releases;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;
using Serverless.Core.Hosting;
using Serverless.App.Hosting;
using Serverless.Core;
using Azure.Storage.Queues;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Durable;
using Serverless.App.Http;
using Serverless.App.WebConsole;
using Serverless.App.Http.Auth;
using Serverless.App.OpenApi;
using Serverless.Durable.BatchScoring;
using Serverless.Durable.Pipeline;

namespace Serverless.Local.Hosting;

/// <summary>
/// Composes the local host: Azurite check, durable sidecar, worker + client, drop watcher and the HTTP API, in
/// one process. Tests build it the same way with other options.
/// </summary>
public static class LocalPlatform
{
    /// <summary>The settings name the local host puts its storage connection string under.</summary>
    public const string StorageSetting = "PlatformStorage";

    public static WebApplicationBuilder CreateBuilder(string[] args, Action<LocalHostOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(LocalHostOptions.Section).Get<LocalHostOptions>() ?? new LocalHostOptions();
        configure?.Invoke(options);
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);

        builder.Configuration[StorageSetting] ??= options.StorageConnectionString;
        var platform = builder.Services.AddServerlessPlatform(builder.Configuration, o => o.StorageConnection = StorageSetting)
            .AddPlatformApi()
            .AddPipeline()
            .AddDurableRunLauncher()
            .AddDurableReleaseLauncher()
            .AddRunIntake();
        builder.Services.AddApiDocument();

        builder.Services.AddTransient<ReleaseRequests>();
        var sidecar = new SidecarEndpoint(options.SidecarPort);
        builder.Services.AddSingleton(sidecar);

        // Registered before the worker: hosted services start in order and stop in reverse.
        builder.Services.AddSingleton<DurableSidecar>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DurableSidecar>());
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.UseGrpc(sidecar.Address.ToString());
            b.AddTasks(r =>
            {
                r.AddPipelineTasks();
                r.AddBatchScoringTasks();
                r.AddReleaseTasks();
            });
        });
        builder.Services.AddDurableTaskClient(b => b.UseGrpc(sidecar.Address.ToString()));
        if (options.BackgroundServices)
        {
            builder.Services.AddHostedService<DropWatcher>();
            builder.Services.AddHostedService<DropFolderWatcher>();
            builder.Services.AddHostedService<BatchDropWatcher>();
            builder.Services.AddHostedService<HistoryPurgeTimer>();
            builder.Services.AddHostedService<MonitoringTimer>();
            builder.Services.AddHostedService<FeatureMaterializationTimer>();
            builder.Services.AddHostedService<GpuResultListener>();
            if (options.RunGpuTrainer)
            {
                platform.AddGpuTrainer(() => new CpuMlpCompute(), o => o with { PollInterval = options.WatchInterval, Concurrency = Math.Max(o.Concurrency, Core.Specs.ModelSpecLimits.MaxReplicas) });
                builder.Services.AddHostedService<LocalGpuTrainer>();
            }
        }

        ResolveKeys(options);
        builder.Services.Configure<ApiKeyOptions>(k => (k.ScoringKey, k.AdminKey, k.AllowWithoutKey, k.KeySetting) =
            (options.ScoringKey!, options.AdminKey!, true, $"{LocalHostOptions.Section}:ScoringKey/AdminKey"));
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

        app.UseLoopbackHostHeader();
        app.UseAdminOnly(LocalTelemetry.MetricsPath);
        app.MapPlatformApi<ApiKeyFilter>();
        app.MapApiReference();
        app.MapConsole();
        app.MapPrometheusScrapingEndpoint(LocalTelemetry.MetricsPath);
        return app;
    }

    /// <summary>Fills unset keys from <c>.local/</c>, generating them on first run and printing them that once.</summary>
    private static void ResolveKeys(LocalHostOptions options)
    {
        if (options.ScoringKey is not null && options.AdminKey is not null) return;
        var directory = Path.Combine(RepositoryRoot.Find() ?? Directory.GetCurrentDirectory(), options.KeysDirectory);
        var (scoring, admin) = LocalApiKeys.LoadOrCreate(directory, out var created);
        options.ScoringKey ??= scoring;
        options.AdminKey ??= admin;
        if (created)
        {
            Console.WriteLine($"▶ Generated API keys (kept in {directory}, shown only now):\n    scoring: {options.ScoringKey}\n    admin:   {options.AdminKey}");
        }
    }

    /// <summary>
    /// The Prometheus endpoint is a plain request delegate, which endpoint filters do not reach, so its admin check
    /// runs as middleware with the same rules as <see cref="ApiKeyFilter"/>.
    /// </summary>
    private static void UseAdminOnly(this WebApplication app, string path) =>
        app.Use((context, next) =>
        {
            if (!context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase)) return next(context);
            var granted = ApiKeyFilter.Authenticate(context, context.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value, out var failure);
            if (granted == ApiRole.Admin) return next(context);
            var status = granted is null && context.User.Identity is not { IsAuthenticated: true } ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            return Results.Problem(failure ?? "This route needs the admin role.", statusCode: status).ExecuteAsync(context);
        });
}
