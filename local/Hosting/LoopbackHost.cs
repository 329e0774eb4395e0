using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serverless.App.Http.Auth;

namespace Serverless.Local.Hosting;

/// <summary>
/// The local host on a free loopback port with a task hub of its own, started in this process: what the tests and the
/// bench run against, bootstrapped one way.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private LoopbackHost(WebApplication app, string apiKey, string scoringKey)
    {
        App = app;
        ApiKey = apiKey;
        ScoringKey = scoringKey;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public Uri Address { get; }

    /// <summary>The admin key (every route).</summary>
    public string ApiKey { get; }

    /// <summary>The scoring key: <see cref="ApiKey"/> + <c>-scoring</c>.</summary>
    public string ScoringKey { get; }

    /// <param name="apiKey">The admin key; the scoring key is derived from it (<see cref="ScoringKey"/>).</param>
    /// <param name="taskHubPrefix">Letters only; a random suffix keeps hosts on one storage account apart.</param>
    /// <param name="configure">Changes to the options after these defaults (port 0, no Azurite start, the given storage).</param>
    /// <param name="customize">Changes to the builder before it is built (services, logging, telemetry exporters).</param>
    public static async Task<LoopbackHost> StartAsync(
        string storageConnectionString, string apiKey, string taskHubPrefix, Action<LocalHostOptions>? configure = null, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = LocalPlatform.CreateBuilder([], o =>
        {
            o.Port = 0;
            o.AdminKey = apiKey;
            o.ScoringKey = apiKey + "-scoring";
            o.TaskHub = taskHubPrefix + Guid.NewGuid().ToString("N")[..12];
            o.StartAzurite = false;
            o.StorageConnectionString = storageConnectionString;
            // Never the repository's own drop/ folder; a test that wants one names its own.
            o.DropFolder = string.Empty;
            configure?.Invoke(o);
        });
        customize?.Invoke(builder);
        var app = await LocalPlatform.BuildAsync(builder).ConfigureAwait(false);
        await app.StartAsync().ConfigureAwait(false);
        return new LoopbackHost(app, apiKey, apiKey + "-scoring");
    }

    /// <summary>A client for the host's API with <paramref name="key"/> (default: the admin key), none if <paramref name="anonymous"/>.</summary>
    public HttpClient CreateClient(HttpMessageHandler? handler = null, bool anonymous = false, string? key = null)
    {
        var http = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (!anonymous)
        {
            http.DefaultRequestHeaders.Add(ApiKeyFilter.Header, key ?? ApiKey);
        }

        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
