using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Serverless.Core.Training.Remote;

/// <summary>
/// The two queues between the pipeline and the GPU trainer. Messages are Base64 JSON: what the Functions queue
/// trigger expects by default, and opaque to the KEDA rule that scales the trainer job on the request queue's length.
/// </summary>
public sealed class GpuTrainingQueue(QueueServiceClient queues)
{
    public static readonly QueueClientOptions ClientOptions = new() { MessageEncoding = QueueMessageEncoding.Base64 };

    public QueueClient Requests => queues.GetQueueClient(GpuQueues.Requests);

    public QueueClient Results => queues.GetQueueClient(GpuQueues.Results);

    public async Task EnsureAsync(CancellationToken ct)
    {
        await Requests.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        await Results.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
    }

    public Task SendRequestAsync(GpuTrainingRequest request, CancellationToken ct) =>
        Requests.SendMessageAsync(JsonSerializer.Serialize(request, PlatformJson.Options), ct);

    public Task SendResultAsync(GpuTrainingResult result, CancellationToken ct) =>
        Results.SendMessageAsync(JsonSerializer.Serialize(result, PlatformJson.Options), ct);

    public static T Parse<T>(QueueMessage message) =>
        message.Body.ToObjectFromJson<T>(PlatformJson.Options) ?? throw new FormatException($"Queue message {message.MessageId} is empty.");
}
