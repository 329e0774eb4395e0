using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Core.Hosting;
using Serverless.Core.Registry;
using Serverless.Core.Storage;
using Serverless.Scorer.Hosting;
using Serverless.Tests.Shared;

namespace Serverless.Bench;

/// <summary>The scorer app on a loopback port over Azurite, serving one registered model.</summary>
internal sealed class ScorerLoopback : IAsyncDisposable
{
    private const string ApiKey = "bench";

    private readonly WebApplication _app;

    private ScorerLoopback(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    /// <summary>Registers <paramref name="onnx"/> as <paramref name="card"/>'s model and makes it champion (Azurite started if needed).</summary>
    public static async Task RegisterAsync(ModelCard card, byte[] onnx)
    {
        await Azurite.EnsureRunningAsync();
        var storage = new PlatformStorage(Azurite.Blobs());
        await storage.EnsureContainersAsync(CancellationToken.None);
        var registry = new ModelRegistry(storage, TimeProvider.System);
        var version = await registry.RegisterAsync(card, onnx, CancellationToken.None);
        await registry.SetAliasAsync(card.Model, ModelAliases.Champion, version, "bench", CancellationToken.None);
    }

    public static async Task<ScorerLoopback> StartAsync(bool batching)
    {
        var builder = ScorerApp.CreateBuilder(
        [
            $"--{PlatformOptions.DefaultStorageConnection}={Azurite.ConnectionString}",
            $"--Scorer:ApiKey={ApiKey}",
            $"--Scoring:BatchingEnabled={batching}",
            // Scoring only: logging every prediction to Azurite would measure the storage emulator.
            "--PredictionLog:MaxBufferedBytes=0",
        ]);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = ScorerApp.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        return new ScorerLoopback(app, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
