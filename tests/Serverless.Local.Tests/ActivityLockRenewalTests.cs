using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Local.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Local.Tests;

/// <summary>
/// An activity that runs longer than the work-item visibility timeout runs once: the sidecar's dispatcher does not
/// renew activity locks, and a 1M-row training under load was delivered a second time and ran twice at once.
/// </summary>
public sealed class ActivityLockRenewalTests
{
    private const string Orchestration = "LongActivityOnce";
    private const string Activity = "LongActivity";

    [Fact]
    public async Task An_activity_longer_than_the_visibility_timeout_runs_once()
    {
        await using var azurite = new PrivateAzurite(inMemory: true);
        await azurite.StartAsync();
        var visibility = TimeSpan.FromSeconds(2);
        var starts = 0;
        var builder = LocalPlatform.CreateBuilder([], o =>
        {
            o.Port = 0;
            o.AdminKey = "k";
            o.ScoringKey = "k-scoring";
            o.TaskHub = "renew" + Guid.NewGuid().ToString("N")[..10];
            o.StartAzurite = false;
            o.BackgroundServices = false;
            o.StorageConnectionString = azurite.ConnectionString;
            o.WorkItemVisibilityTimeout = visibility;
        });
        builder.Services.Configure<DurableTaskRegistry>(Options.DefaultName, r => r
            .AddOrchestratorFunc(Orchestration, ctx => ctx.CallActivityAsync<int>(Activity))
            .AddActivityFunc<int>(Activity, async _ =>
            {
                var n = Interlocked.Increment(ref starts);
                // The work itself: three visibility timeouts long, so an unrenewed message would be redelivered.
                await Task.Delay(visibility * 3);
                return n;
            }));
        var backendProblems = new BackendProblems();
        builder.Services.AddSingleton<ILoggerProvider>(backendProblems);
        await using var app = await LocalPlatform.BuildAsync(builder);
        await app.StartAsync();
        try
        {
            var client = app.Services.GetRequiredService<DurableTaskClient>();
            var id = await client.ScheduleNewOrchestrationInstanceAsync(Orchestration);
            OrchestrationMetadata? done = null;
            await Eventually.TrueAsync(
                async () => (done = await client.GetInstanceAsync(id, getInputsAndOutputs: true)) is { IsCompleted: true },
                TimeSpan.FromSeconds(60),
                "the orchestration to complete");

            Assert.Equal(OrchestrationRuntimeStatus.Completed, done!.RuntimeStatus);
            Assert.Equal(1, done.ReadOutputAs<int>());

            Assert.Equal(1, Volatile.Read(ref starts));

            // Unrenewed, the message reappeared mid-run: the backend saw it "processed multiple times concurrently",
            // and the completion's delete failed on the stale pop receipt (PopReceiptMismatch), so it was abandoned.
            Assert.Empty(backendProblems.Messages);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}


/// <summary>Warnings and errors the Azure Storage backend logs.</summary>
internal sealed class BackendProblems : ILoggerProvider
{
    public SynchronizedCollection<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, BackendProblems sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && category.StartsWith("DurableTask.AzureStorage", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink.Messages.Add(formatter(state, exception));
            }
        }
    }
}
