using Azure.Messaging.EventGrid;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Core.Hosting;
using Serverless.Core.Storage;

namespace Serverless.Core.Registry.Events;

public static class RegistryEventsRegistration
{
    /// <summary>
    /// The event log and the transports <see cref="RegistryEventOptions"/> names: the Event Grid topic when its
    /// endpoint is set (with the storage identity), else the storage queue; plus every webhook.
    /// </summary>
    public static PlatformBuilder AddRegistryEvents(this PlatformBuilder platform)
    {
        var services = platform.Services;
        var section = platform.Configuration.GetSection(RegistryEventOptions.Section);
        services.AddOptions<RegistryEventOptions>().Configure(o => section.Bind(o));
        var options = section.Get<RegistryEventOptions>() ?? new RegistryEventOptions();
        if (options.TopicEndpoint is { } topic)
        {
            var credential = StorageClients.Credential(platform.Configuration, platform.Options.StorageConnection);
            services.AddSingleton<IRegistryEventPublisher>(_ => new EventGridRegistryEventPublisher(new EventGridPublisherClient(topic, credential)));
        }
        else if (!string.IsNullOrWhiteSpace(options.Queue))
        {
            services.AddSingleton<IRegistryEventPublisher>(sp => new QueueRegistryEventPublisher(sp.GetRequiredService<QueueServiceClient>(), options.Queue));
        }

        if (options.Webhooks.Count > 0)
        {
            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            foreach (var endpoint in options.Webhooks)
            {
                services.AddSingleton<IRegistryEventPublisher>(_ => new WebhookRegistryEventPublisher(http, endpoint));
            }
        }

        services.TryAddSingleton<RegistryEvents>();
        return platform;
    }
}
