using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serverless.App.Http;

namespace Serverless.Local.Hosting;

/// <summary>
/// The local host on a free loopback port with a task hub of its own, started in this process: what the tests and the
/// bench run against, bootstrapped one way.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private LoopbackHost(WebApplication app, string apiKey)
    {
        App = app;
        ApiKey = apiKey;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public Uri Address { get; }

    public string ApiKey { get; }

    /// <param name="taskHubPrefix">Letters only; a random suffix keeps hosts on one storage account apart.</param>
    /// <param name="configure">Changes to the options after these defaults (port 0, no Azurite start, the given storage).</param>
    /// <param name="customize">Changes to the builder before it is built (services, logging, telemetry exporters).</param>
    public static async Task<LoopbackHost> StartAsync(
        string storageConnectionString, string apiKey, string taskHubPrefix, Action<LocalHostOptions>? configure = null, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = LocalPlatform.CreateBuilder([], o =>
        {
            o.Port = 0;
            o.ApiKey = apiKey;
            o.TaskHub = taskHubPrefix + Guid.NewGuid().ToString("N")[..12];
            o.StartAzurite = false;
            o.StorageConnectionString = storageConnectionString;
            configure?.Invoke(o);
        });
        customize?.Invoke(builder);
        var app = await LocalPlatform.BuildAsync(builder).ConfigureAwait(false);
        await app.StartAsync().ConfigureAwait(false);
        return new LoopbackHost(app, apiKey);
    }

    /// <summary>A client for the host's API, with the API key unless <paramref name="anonymous"/>.</summary>
    public HttpClient CreateClient(HttpMessageHandler? handler = null, bool anonymous = false)
    {
        var http = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (!anonymous)
        {
            http.DefaultRequestHeaders.Add(ApiKeyFilter.Header, ApiKey);
        }

        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
