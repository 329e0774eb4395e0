using Azure.Messaging;
using Azure.Messaging.EventGrid;

namespace Serverless.Core.Registry.Events;

/// <summary>
/// The Azure transport: an Event Grid custom topic with the CloudEvents v1.0 input schema and local (key) auth
/// disabled, so the client signs in with the app's managed identity (role EventGrid Data Sender on the topic).
/// </summary>
public sealed class EventGridRegistryEventPublisher(EventGridPublisherClient client) : IRegistryEventPublisher
{
    public Task PublishAsync(RegistryEvent registryEvent, CancellationToken ct) =>
        client.SendEventAsync(ToCloudEvent(registryEvent), ct);

    public static CloudEvent ToCloudEvent(RegistryEvent e)
    {
        var cloudEvent = new CloudEvent(e.Source, e.Type, BinaryData.FromObjectAsJson(e.Data, PlatformJson.Options), CloudEventJson.DataContentType)
        {
            Id = e.Id,
            Subject = e.Subject,
            Time = e.Time,
        };
        cloudEvent.ExtensionAttributes["sequence"] = e.SequenceText;
        return cloudEvent;
    }
}
