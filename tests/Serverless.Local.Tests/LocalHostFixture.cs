using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Serverless.Core;
using Serverless.Core.Storage;
using Serverless.Durable.Pipeline;
using Serverless.Local.Api;
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

    private WebApplication? _app;

    /// <summary>Storage the host runs on: the shared Azurite unless a test brings its own.</summary>
    public string ConnectionString { get; init; } = Azurite.ConnectionString;

    /// <summary>Changes to the host's options after the fixture's own (e.g. a shorter monitoring interval).</summary>
    public Action<LocalHostOptions>? Configure { get; init; }

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Spans the host exported (OpenTelemetry in-memory exporter).</summary>
    public SynchronizedCollection<Activity> Spans { get; } = new();

    /// <summary>Metrics the host exported; call <see cref="FlushMetrics"/> first.</summary>
    public SynchronizedCollection<Metric> Metrics { get; } = new();

    public void FlushMetrics() => _app!.Services.GetRequiredService<MeterProvider>().ForceFlush();

    public HttpClient Anonymous { get; private set; } = null!;

    public PlatformStorage Storage => _app!.Services.GetRequiredService<PlatformStorage>();

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        if (ConnectionString == Azurite.ConnectionString)
        {
            await Azurite.EnsureRunningAsync();
        }

        var builder = LocalPlatform.CreateBuilder([], o =>
        {
            o.Port = 0;
            o.ApiKey = ApiKey;
            o.TaskHub = "e2e" + Guid.NewGuid().ToString("N")[..12];
            o.WatchInterval = TimeSpan.FromMilliseconds(200);
            o.StartAzurite = false;
            o.StorageConnectionString = ConnectionString;
            Configure?.Invoke(o);
        });
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
        _app = await LocalPlatform.BuildAsync(builder);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add(ApiKeyFilter.Header, ApiKey);
        Anonymous = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
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
