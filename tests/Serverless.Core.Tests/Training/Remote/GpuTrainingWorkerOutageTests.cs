using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Training.Remote;

/// <summary>The trainer loop rides out a storage outage instead of ending (which stops a host that runs it as a hosted service).</summary>
public sealed class GpuTrainingWorkerOutageTests
{
    [Fact(Timeout = 120_000)]
    public async Task The_loop_keeps_polling_through_a_storage_outage_and_ends_only_when_cancelled()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var options = StorageClients.QueueOptions();
        options.Retry.MaxRetries = 0; // fail each pass at once rather than after the SDK's minute of retries
        var log = new WarningCounter();
        var worker = new GpuTrainingWorker(
            new QueueServiceClient(azurite.ConnectionString, options),
            new RunArtifacts(new PlatformStorage(new BlobServiceClient(azurite.ConnectionString))),
            () => new CpuMlpCompute(),
            log,
            new GpuTrainingWorkerOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        using var stop = new CancellationTokenSource();
        var loop = worker.RunAsync(stop.Token);

        await azurite.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(log.Warnings >= 3 || loop.IsCompleted), TimeSpan.FromSeconds(60), "failed passes to be logged");

        Assert.False(loop.IsCompleted, loop.Exception?.ToString());
        stop.Cancel();
        await loop;
    }

    private sealed class WarningCounter : ILogger<GpuTrainingWorker>
    {
        private int _warnings;

        public int Warnings => Volatile.Read(ref _warnings);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) Interlocked.Increment(ref _warnings);
        }
    }
}
