using Serverless.Core.Storage;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Serverless.Core.Training.Remote;

/// <summary>
/// The pipeline's side of the two queues to the GPU trainer (<see cref="GpuTrainingWorker"/> is the other side).
/// Messages are Base64 JSON (<see cref="StorageClients.QueueOptions"/> on the service client): what the Functions queue
/// trigger expects, and opaque to the KEDA rule that scales the trainer job on the request queue's length.
/// </summary>
public sealed class GpuTrainingQueue(QueueServiceClient queues)
{
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
