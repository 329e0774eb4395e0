using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Core.Runs;
using Serverless.Core;
using Serverless.Core.Datasets;
using Serverless.Core.Storage;
using Serverless.App.Intake;
using Serverless.Durable.Pipeline;
using Serverless.App.Http;
using Serverless.Local.Hosting;

using Serverless.Tests.Shared;

namespace Serverless.Bench;

/// <summary>
/// The real local host (Kestrel on a loopback port, the DurableTask sidecar on Azurite, the drop watcher), started
/// in this process with its own task hub, plus the no-op orchestration for the orchestration area.
/// </summary>
internal sealed class BenchPlatform : IAsyncDisposable
{
    public const string ApiKey = "bench-key";

    private readonly PrivateAzurite _azurite;
    private readonly LoopbackHost _host;
    private string? _champion;

    private BenchPlatform(PrivateAzurite azurite, LoopbackHost host)
    {
        _azurite = azurite;
        _host = host;
        Http = host.CreateClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 });
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<BenchPlatform> StartAsync()
    {
        // Its own in-memory Azurite: a shared one on 10000–10002 could be stopped mid-run by whoever started it, and
        // the bench's load would skew that user's tests.
        var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var host = await LoopbackHost.StartAsync(
            azurite.ConnectionString,
            ApiKey,
            "bench",
            // Drops are seen within 25 ms (in Azure an Event Grid blob trigger starts intake), so the pipeline figure is
            // not dominated by the local watcher's interval.
            o => o.WatchInterval = TimeSpan.FromMilliseconds(25),
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.AddDurableTaskWorker(b => b.AddTasks(r => r.AddNoOpPipeline()));
            });
        return new BenchPlatform(azurite, host);
    }

    public async Task PutSpecAsync(string model, string specJson)
    {
        using var response = await Http.PutAsync($"/api/models/{model}", new StringContent(specJson, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT spec {model}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Drops the CSV into <c>datasets/{model}/incoming/</c> and polls <c>GET /api/runs/{id}</c> every 10 ms until it ends.</summary>
    public async Task<(RunView Run, TimeSpan Elapsed)> DropAndWaitAsync(string model, byte[] csv, TimeSpan timeout)
    {
        var runId = DropIntake.RunIdFor(model, ContentHash.Sha256Hex(new MemoryStream(csv, writable: false)));
        var storage = Services.GetRequiredService<PlatformStorage>();
        var sw = Stopwatch.StartNew();
        await storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, "churn.csv")).UploadAsync(new BinaryData(csv), overwrite: true);
        while (sw.Elapsed < timeout)
        {
            using var response = await Http.GetAsync($"/api/runs/{runId}");
            if (response.IsSuccessStatusCode)
            {
                var run = (await response.Content.ReadFromJsonAsync<RunView>(PlatformJson.Options))!;
                if (run.Status is "Completed" or "Failed" or "Terminated") return (run, sw.Elapsed);
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Run {runId} did not finish within {timeout}.");
    }

    /// <summary>
    /// Drops a file from disk (streamed, never loaded here) whose SHA-256 is <paramref name="sha256"/> and polls
    /// <c>GET /api/runs/{id}</c> every 100 ms until the run ends.
    /// </summary>
    public async Task<(RunView Run, TimeSpan Elapsed)> DropFileAndWaitAsync(string model, string path, string sha256, TimeSpan timeout)
    {
        var runId = DropIntake.RunIdFor(model, sha256);
        var storage = Services.GetRequiredService<PlatformStorage>();
        var sw = Stopwatch.StartNew();
        await storage.Datasets.GetBlobClient(BlobLayout.IncomingBlob(model, Path.GetFileName(path))).UploadAsync(path, overwrite: true);
        while (sw.Elapsed < timeout)
        {
            using var response = await Http.GetAsync($"/api/runs/{runId}");
            if (response.IsSuccessStatusCode)
            {
                var run = (await response.Content.ReadFromJsonAsync<RunView>(PlatformJson.Options))!;
                if (run.Status is "Completed" or "Failed" or "Terminated") return (run, sw.Elapsed);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Run {runId} did not finish within {timeout}.");
    }

    /// <summary>A model whose champion was trained by the pipeline on the churn sample (trained on first use).</summary>
    public async Task<string> ChurnChampionAsync(ChurnData data)
    {
        if (_champion is not null) return _champion;
        const string model = "churn-bench";
        await PutSpecAsync(model, data.SpecJson);
        var (run, _) = await DropAndWaitAsync(model, data.Csv, TimeSpan.FromMinutes(3));
        if (run.Result?.Promoted != true) throw new InvalidOperationException($"The churn run did not promote: {run.Status} {run.Error}");
        return _champion = model;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
