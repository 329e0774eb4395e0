using Serverless.Core.Storage;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Serverless.Core.Specs;
using Serverless.Core.Training.Mlp;

namespace Serverless.Core.Training.Remote;

/// <summary>
/// The GPU trainer's loop, host-agnostic so the container job and the local host (in-process, on Azurite) run the
/// same code: take a <see cref="GpuTrainingRequest"/>, read the run's spec and dataset through
/// <see cref="RunArtifacts"/>, train (<see cref="MlpTrainer"/> on the supplied compute for mlp; <see cref="MlNetTrainer"/>
/// for tree/linear specs sent with compute=gpu, which have no GPU path), write the outputs and post a
/// <see cref="GpuTrainingResult"/>. Any failure is posted as a failed result; the request is deleted once answered.
/// </summary>
/// <param name="queues">Built with <see cref="StorageClients.QueueOptions"/> (base64 messages).</param>
/// <param name="computeFactory">A fresh compute per MLP run (e.g. CUDA when present, else plain C#).</param>
public sealed class GpuTrainingWorker(
    QueueServiceClient queues,
    RunArtifacts artifacts,
    Func<IMlpCompute> computeFactory,
    ILogger<GpuTrainingWorker> logger,
    GpuTrainingWorkerOptions? options = null)
{
    private readonly GpuTrainingWorkerOptions _options = options ?? new GpuTrainingWorkerOptions();

    /// <summary>Processes requests until cancelled, polling while the queue is empty.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var ensured = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!ensured)
                {
                    await EnsureQueuesAsync(ct).ConfigureAwait(false);
                    ensured = true;
                }

                if (!await ProcessOneAsync(ct).ConfigureAwait(false)) await Task.Delay(_options.PollInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Storage unreachable (past the client's retries) or a bad message: the loop carries on, or a hosted
                // copy of it would stop its whole host over an outage. An unanswered request is received again later.
                logger.LogWarning(e, "GPU training queue pass failed; retrying in {Interval}", _options.PollInterval);
                try
                {
                    await Task.Delay(_options.PollInterval, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    public async Task EnsureQueuesAsync(CancellationToken ct)
    {
        await queues.GetQueueClient(_options.RequestsQueue).CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        await queues.GetQueueClient(_options.ResultsQueue).CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>Handles at most one request; false when the queue was empty.</summary>
    public async Task<bool> ProcessOneAsync(CancellationToken ct)
    {
        var requests = queues.GetQueueClient(_options.RequestsQueue);
        QueueMessage? message = (await requests.ReceiveMessageAsync(_options.VisibilityTimeout, ct).ConfigureAwait(false)).Value;
        if (message is null) return false;

        var request = Parse(message);
        if (request is null)
        {
            // Nothing to answer: without a run id no orchestration waits on it.
            logger.LogError("Dropping malformed GPU training request {MessageId}.", message.MessageId);
            await requests.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct).ConfigureAwait(false);
            return true;
        }

        GpuTrainingResult result;
        var receipt = message.PopReceipt;
        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            result = Failed(request, $"The training request was dequeued {message.DequeueCount} times (more than {_options.MaxDequeueCount}); the trainer stopped before finishing each time, so the run is failed instead of retried.");
        }
        else
        {
            logger.LogInformation("Training run {RunId} of {Model} (attempt {Attempt}).", request.RunId, request.Model, message.DequeueCount);
            var training = TrainAsync(request, ct);

            // Keep the request hidden while training runs longer than the visibility timeout.
            while (await Task.WhenAny(training, Task.Delay(_options.VisibilityTimeout / 2, ct)).ConfigureAwait(false) != training)
            {
                receipt = (await requests.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: _options.VisibilityTimeout, cancellationToken: ct).ConfigureAwait(false)).Value.PopReceipt;
            }

            result = await training.ConfigureAwait(false);
        }

        await queues.GetQueueClient(_options.ResultsQueue).SendMessageAsync(JsonSerializer.Serialize(result, PlatformJson.Options), ct).ConfigureAwait(false);
        await requests.DeleteMessageAsync(message.MessageId, receipt, ct).ConfigureAwait(false);
        logger.LogInformation("Run {RunId}: {Outcome}.", request.RunId, result.Succeeded ? "trained" : $"failed ({result.Error})");
        return true;
    }

    private async Task<GpuTrainingResult> TrainAsync(GpuTrainingRequest request, CancellationToken ct)
    {
        ModelSpec? spec = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            spec = await artifacts.ReadSpecAsync(request.Model, request.RunId, ct).ConfigureAwait(false);
            timeout.CancelAfter(spec.Trainer.Timeout ?? TrainerSpec.DefaultTimeout);
            var data = await artifacts.ReadDatasetAsync(request.Model, request.DatasetSha256, timeout.Token).ConfigureAwait(false);

            // Training is CPU-bound (or blocks on the GPU): keep it off the caller's thread.
            var (trained, device) = await Task.Run(() => Train(request.RunId, spec, data, timeout.Token), timeout.Token).ConfigureAwait(false);
            var record = await artifacts.WriteTrainingAsync(request.Model, request.RunId, spec, data, trained, device, timeout.Token).ConfigureAwait(false);
            return new GpuTrainingResult(request.RunId, request.Model, true, null, record);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && spec is not null)
        {
            return Failed(request, $"Training exceeded the spec's timeout of {spec.Trainer.Timeout ?? TrainerSpec.DefaultTimeout}.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Run {RunId} failed.", request.RunId);
            return Failed(request, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private (TrainingResult Trained, string Device) Train(string runId, ModelSpec spec, Datasets.TabularDataset data, CancellationToken ct)
    {
        if (spec.Trainer.Type != TrainerKind.Mlp)
        {
            return (new MlNetTrainer().Train(spec, data, ct), CpuMlpCompute.DeviceName);
        }

        using var compute = computeFactory();
        logger.LogInformation("Run {RunId} trains on {Device}.", runId, compute.Device);
        var trained = new MlpTrainer().Train(spec, data, compute, ct, e => logger.LogInformation(
            "Run {RunId} epoch {Epoch}: train loss {TrainLoss}, validation loss {ValidationLoss} ({Seconds:F2} s)",
            runId, e.Epoch, e.TrainLoss, e.ValidationLoss, e.Elapsed.TotalSeconds));
        return (trained, compute.Device);
    }

    private static GpuTrainingRequest? Parse(QueueMessage message)
    {
        try
        {
            return JsonSerializer.Deserialize<GpuTrainingRequest>(message.Body, PlatformJson.Options) is { RunId.Length: > 0, Model.Length: > 0 } r ? r : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static GpuTrainingResult Failed(GpuTrainingRequest request, string error) => new(request.RunId, request.Model, false, error, null);
}
