using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Core.Hosting;
using Serverless.Core.Storage;
using Serverless.Local.Hosting;
using Serverless.Scorer.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Scorer.Tests;

/// <summary>
/// The scorer app and, for parity, the local host: both on Kestrel loopback ports over the same Azurite, with the
/// same scoring limits, serving one registered model.
/// </summary>
public sealed class ScorerFixture : IAsyncLifetime
{
    public const string ApiKey = "scorer-test-key";
    public const int MaxRows = 50;
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly string[] ScoringArgs =
    [
        $"--Scoring:MaxRows={MaxRows}",
        $"--Scoring:MaxBodyBytes={MaxBodyBytes}",
        "--Scoring:ChampionRefreshInterval=00:00:00.200",
    ];

    private WebApplication? _scorer;
    private WebApplication? _local;

    public string Model { get; } = Azurite.UniqueModel("scorer");

    public PlatformStorage Storage { get; } = new(Azurite.Blobs());

    public HttpClient Scorer { get; private set; } = null!;

    public HttpClient Local { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The scorer's services (its endpoints, for the OpenAPI route check).</summary>
    public IServiceProvider ScorerServices => _scorer!.Services;

    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        await Azurite.EnsureRunningAsync();
        await Storage.EnsureContainersAsync(CancellationToken.None);
        await TinyModel.RegisterAsync(Storage, Model);

        var scorer = ScorerApp.CreateBuilder([.. ScoringArgs, $"--{PlatformOptions.DefaultStorageConnection}={Azurite.ConnectionString}", $"--Scorer:ApiKey={ApiKey}"]);
        scorer.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        scorer.Logging.AddProvider(Logs);
        _scorer = ScorerApp.Build(scorer);

        var local = LocalPlatform.CreateBuilder(ScoringArgs, o =>
        {
            o.Port = 0;
            o.ScoringKey = ApiKey;
            o.AdminKey = ApiKey + "-admin";
            o.TaskHub = "scr" + Guid.NewGuid().ToString("N")[..12];
            o.StartAzurite = false;
            o.BackgroundServices = false; // the Local.Tests host shares this Azurite and owns drops and GPU results
            o.StorageConnectionString = Azurite.ConnectionString;
        });
        _local = await LocalPlatform.BuildAsync(local);

        await Task.WhenAll(_scorer.StartAsync(), _local.StartAsync());
        Scorer = Client(_scorer, ApiKey);
        Local = Client(_local, ApiKey);
        Anonymous = Client(_scorer, null);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _scorer, _local })
        {
            if (app is null) continue;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static HttpClient Client(WebApplication app, string? key)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Add("x-api-key", key);
        return client;
    }

    /// <summary>Every log line the scorer writes.</summary>
    public sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue($"{category}: {formatter(state, exception)}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ScorerCollection : ICollectionFixture<ScorerFixture>
{
    public const string Name = "scorer";
}
