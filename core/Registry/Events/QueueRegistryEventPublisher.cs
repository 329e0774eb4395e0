using Azure.Storage.Queues;

namespace Serverless.Core.Registry.Events;

/// <summary>The local transport: each event as a CloudEvents JSON message on a storage queue (Base64, like every platform queue).</summary>
public sealed class QueueRegistryEventPublisher(QueueServiceClient queues, string queueName) : IRegistryEventPublisher
{
    private readonly QueueClient _queue = queues.GetQueueClient(queueName);
    private volatile bool _created;

    public QueueClient Queue => _queue;

    public async Task PublishAsync(RegistryEvent registryEvent, CancellationToken ct)
    {
        if (!_created)
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            _created = true;
        }

        await _queue.SendMessageAsync(CloudEventJson.Serialize(registryEvent), ct).ConfigureAwait(false);
    }
}
