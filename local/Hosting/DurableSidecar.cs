using Microsoft.DurableTask.Client;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace Serverless.Local.Hosting;

/// <summary>
/// The DurableTask gRPC sidecar over the Azure Storage backend (the one Durable Functions uses in Azure), on
/// Azurite locally. It runs in its own small Kestrel host: registered before the worker, it starts first and
/// stops last, so the worker never loses its backend mid-shutdown.
/// </summary>
public sealed class DurableSidecar(IOptions<LocalHostOptions> options, SidecarEndpoint endpoint, ILoggerFactory loggerFactory) : IHostedService
{
    private IHost? _host;
    private AzureStorageOrchestrationService? _service;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        _service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(o.StorageConnectionString),
            TaskHubName = o.TaskHub,
            // One local worker: a single partition, table-based partition management and a fixed worker id let a
            // restarted process take its partition back at once instead of waiting for a lease to expire.
            PartitionCount = 1,
            UseTablePartitionManagement = true,
            UseAppLease = false,
            WorkerId = "local-" + o.TaskHub,
            MaxQueuePollingInterval = o.DurableQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = o.WorkItemVisibilityTimeout,
            // The backend's default is 5 minutes: a host killed while it held an orchestration's messages (say, the
            // activity result that schedules a bake timer) left them invisible that long after a restart, while the
            // timer it had already enqueued kept coming back "out of order" for want of the history it belongs to.
            ControlQueueVisibilityTimeout = o.WorkItemVisibilityTimeout,
            LoggerFactory = loggerFactory,
        });
        await _service.CreateIfNotExistsAsync().ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, endpoint.Port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(new WorkItemLockRenewal(_service, o.WorkItemVisibilityTimeout, loggerFactory.CreateLogger<WorkItemLockRenewal>()));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(_service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        _host = app;
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Purges finished instances straight on the storage backend: the gRPC server of the in-process sidecar package
    /// answers PurgeAllInstances with an error, the backend itself (the one Durable Functions purges in Azure) does not.
    /// </summary>
    public async Task<int> PurgeAsync(PurgeInstancesFilter filter)
    {
        var service = _service ?? throw new InvalidOperationException("The durable backend has not started.");
        // Azure Table timestamps start in 1601; nothing of this platform was created before the Unix epoch.
        var result = await service.PurgeInstanceHistoryAsync(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.UnixEpoch,
            filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(s => Enum.Parse<DurableTask.Core.OrchestrationStatus>(s.ToString())) ?? []).ConfigureAwait(false);
        return result.InstancesDeleted;
    }

    /// <summary>
    /// Stops the gRPC host, then the storage backend, giving up on the backend when <paramref name="cancellationToken"/>
    /// (the host's shutdown timeout) fires: with storage unreachable its partition manager retries table reads without
    /// end, and the process must still exit. Nothing is lost by leaving early: the durable state is in storage.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is not null)
        {
            await _host.StopAsync(cancellationToken).ConfigureAwait(false);
            _host.Dispose();
        }

        if (_service is not null)
        {
            try
            {
                await _service.StopAsync(isForced: true).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                loggerFactory.CreateLogger<DurableSidecar>().LogWarning("The durable storage backend did not stop within the shutdown timeout (storage unreachable?); leaving it");
            }
        }
    }
}
