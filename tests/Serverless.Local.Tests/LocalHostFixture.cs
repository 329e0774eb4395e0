using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Storage;
using Serverless.Durable.Pipeline;
using Serverless.App.Http;
using Serverless.Local.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// The real local host — Kestrel on a loopback port, the DurableTask sidecar over the Azure Storage backend on
/// Azurite, the drop watcher — started once for the test collection, with its own task hub.
/// </summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const string ApiKey = "test-key";

    private LoopbackHost? _host;

    /// <summary>Storage the host runs on: the shared Azurite unless a test brings its own.</summary>
    public string ConnectionString { get; init; } = Azurite.ConnectionString;

    /// <summary>Changes to the host's options after the fixture's own (e.g. a shorter monitoring interval).</summary>
    public Action<LocalHostOptions>? Configure { get; init; }

    /// <summary>Changes to the host's services after the platform's own (e.g. a storage client with a test policy).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Spans the host exported (OpenTelemetry in-memory exporter).</summary>
    public SynchronizedCollection<Activity> Spans { get; } = new();

    /// <summary>Metrics the host exported; call <see cref="FlushMetrics"/> first.</summary>
    public SynchronizedCollection<Metric> Metrics { get; } = new();

    public void FlushMetrics() => Services.GetRequiredService<MeterProvider>().ForceFlush();

    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>A client with the scoring key (<see cref="Http"/> has the admin key).</summary>
    public HttpClient Scoring { get; private set; } = null!;

    public Uri Address => _host!.Address;

    public PlatformStorage Storage => Services.GetRequiredService<PlatformStorage>();

    public IServiceProvider Services => _host!.Services;

    /// <summary>Hosts with background loops (drop watcher, timers) alive on the test process's shared Azurite.</summary>
    private static int _sharedLoopHosts;

    private bool _countedShared;

    public async Task InitializeAsync()
    {
        if (ConnectionString == Azurite.ConnectionString)
        {
            // Two hosts whose watchers scan one account race for every drop: each claims some of the other's and runs
            // them in its own task hub, where the other's test never sees them finish. A second one needs its own storage.
            var options = new LocalHostOptions();
            Configure?.Invoke(options);
            if (options.BackgroundServices)
            {
                _countedShared = true;
                if (Interlocked.Increment(ref _sharedLoopHosts) > 1)
                {
                    Interlocked.Decrement(ref _sharedLoopHosts);
                    _countedShared = false;
                    throw new InvalidOperationException("Another host with background loops already runs on the shared test Azurite; give this one a PrivateAzurite (ConnectionString = azurite.ConnectionString).");
                }
            }

            await Azurite.EnsureRunningAsync();
        }

        _host = await LoopbackHost.StartAsync(
            ConnectionString,
            ApiKey,
            "e2e",
            o =>
            {
                o.WatchInterval = TimeSpan.FromMilliseconds(200);
                Configure?.Invoke(o);
            },
            builder =>
            {
                ConfigureServices?.Invoke(builder.Services);
                builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
                builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
            });
        Http = _host.CreateClient();
        Anonymous = _host.CreateClient(anonymous: true);
        Scoring = _host.CreateClient(key: _host.ScoringKey);
    }

    public async Task DisposeAsync()
    {
        if (_countedShared)
        {
            Interlocked.Decrement(ref _sharedLoopHosts);
        }

        Http.Dispose();
        Anonymous.Dispose();
        Scoring.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public async Task PutSpecAsync(string model, string specJson)
    {
        var response = await Http.PutAsync($"/api/models/{model}", new StringContent(specJson, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task DropAsync(string model, string fileName, byte[] bytes) =>
        Storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, fileName)).UploadAsync(new BinaryData(bytes), overwrite: true);

    /// <summary>Polls <c>GET /api/runs/{id}</c> until the run is no longer running.</summary>
    public Task<RunView> WaitForRunAsync(string runId, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            async () =>
            {
                var response = await Http.GetAsync($"/api/runs/{runId}");
                if (!response.IsSuccessStatusCode) return null;
                var run = await response.Content.ReadFromJsonAsync<RunView>(PlatformJson.Options);
                return run?.Status is "Completed" or "Failed" or "Terminated" ? run : null;
            },
            timeout ?? TimeSpan.FromMinutes(3),
            $"run {runId} to finish",
            TimeSpan.FromMilliseconds(100));
}

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "local host";
}
