namespace Serverless.Core.Registry.Events;

/// <summary>
/// One transport registry events leave by (Event Grid topic, storage queue, webhooks). Called by
/// <see cref="RegistryEvents"/> after the registry write succeeded; it throws when delivery failed so the event stays
/// pending and is sent again (at-least-once: subscribers de-duplicate by <see cref="RegistryEvent.Id"/>).
/// </summary>
public interface IRegistryEventPublisher
{
    Task PublishAsync(RegistryEvent registryEvent, CancellationToken ct);
}
