using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Core.Registry;
using Serverless.Core.Registry.Events;
using Serverless.Core.Storage;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Registry.Events;

public sealed class RegistryEventsTests
{
    private static readonly byte[] Onnx = [1, 2, 3];

    [Fact]
    public async Task A_queue_subscriber_receives_every_registry_change_as_a_cloudevent_in_order()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("evt");
        var queue = new QueueServiceClient(Azurite.ConnectionString, StorageClients.QueueOptions()).GetQueueClient($"q{Guid.NewGuid():N}");
        var registry = new ModelRegistry(storage, TimeProvider.System, Events(storage, new QueueRegistryEventPublisher(new QueueServiceClient(Azurite.ConnectionString, StorageClients.QueueOptions()), queue.Name)));

        await registry.RegisterAsync(RegistryFixture.Card(model, "run-a"), Onnx, CancellationToken.None);
        await registry.RegisterAsync(RegistryFixture.Card(model, "run-b"), Onnx, CancellationToken.None);
        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "first", CancellationToken.None);
        await registry.SetAliasAsync(model, ModelAliases.Champion, 2, "better", "admin", CancellationToken.None);

        var messages = (await queue.ReceiveMessagesAsync(32)).Value;
        var events = messages.Select(m => JsonNode.Parse(m.Body.ToString())!.AsObject()).ToList();
        Assert.Equal(
            [RegistryEventTypes.VersionRegistered, RegistryEventTypes.VersionRegistered, RegistryEventTypes.AliasMoved, RegistryEventTypes.AliasMoved],
            events.Select(e => (string)e["type"]!));
        Assert.Equal(["1", "2", "3", "4"], events.Select(e => long.Parse((string)e["sequence"]!).ToString()));
        Assert.All(events, e => Assert.Equal("1.0", (string)e["specversion"]!));
        Assert.Equal(4, events.Select(e => (string)e["id"]!).Distinct().Count());
        Assert.Equal($"models/{model}/versions/2", (string)events[1]["subject"]!);
        var lastMove = events[3];
        Assert.Equal($"models/{model}/aliases/champion", (string)lastMove["subject"]!);
        Assert.Equal(2, (int)lastMove["data"]!["version"]!);
        Assert.Equal(1, (int)lastMove["data"]!["previousVersion"]!);
        Assert.Equal("admin", (string)lastMove["data"]!["by"]!);
    }

    [Fact]
    public async Task An_undelivered_event_is_sent_again_before_the_next_one()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("evt");
        var subscriber = new FlakySubscriber(failures: 1);
        var events = Events(storage, subscriber);

        await events.RaiseAsync(RegistryEventTypes.ModelArchived, $"models/{model}", new RegistryChange(model), CancellationToken.None);
        Assert.Empty(subscriber.Received);
        Assert.False((await events.ListAsync(model, CancellationToken.None)).Single().Published);

        await events.RaiseAsync(RegistryEventTypes.VersionDeleted, $"models/{model}/versions/1", new RegistryChange(model, 1), CancellationToken.None);

        Assert.Equal([1L, 2L], subscriber.Received.Select(e => e.Sequence));
        Assert.All(await events.ListAsync(model, CancellationToken.None), e => Assert.True(e.Published));
    }

    [Fact]
    public async Task Concurrent_changes_get_distinct_contiguous_sequence_numbers()
    {
        var storage = await RegistryFixture.StorageAsync();
        var model = Azurite.UniqueModel("evt");
        var events = Events(storage);

        var raised = await Task.WhenAll(Enumerable.Range(1, 8).Select(v =>
            Task.Run(() => events.RaiseAsync(RegistryEventTypes.VersionDeleted, $"models/{model}/versions/{v}", new RegistryChange(model, v), CancellationToken.None))));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), raised.Select(e => e.Sequence).Order());
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), (await events.ListAsync(model, CancellationToken.None)).Select(e => e.Event.Sequence));
    }

    private static RegistryEvents Events(PlatformStorage storage, params IRegistryEventPublisher[] publishers) =>
        new(storage, publishers, Options.Create(new RegistryEventOptions()), TimeProvider.System, NullLogger<RegistryEvents>.Instance);

    private sealed class FlakySubscriber(int failures) : IRegistryEventPublisher
    {
        private int _failures = failures;

        public List<RegistryEvent> Received { get; } = [];

        public Task PublishAsync(RegistryEvent registryEvent, CancellationToken ct)
        {
            if (Interlocked.Decrement(ref _failures) >= 0)
            {
                throw new HttpRequestException("subscriber down");
            }

            Received.Add(registryEvent);
            return Task.CompletedTask;
        }
    }
}
