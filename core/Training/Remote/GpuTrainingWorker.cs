using Serverless.Core.Storage;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Core.Runs;
using Serverless.Core.Specs;
using Serverless.Core.Specs.Routing;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Core.Training.Remote;

/// <summary>
/// The GPU trainer's loop, host-agnostic so the container job and the local host (in-process, on Azurite) run the
/// same code: take a <see cref="GpuTrainingRequest"/>, read the run's spec and dataset through
/// <see cref="RunArtifacts"/>, train (<see cref="MlpTrainer"/> on the supplied compute for mlp; <see cref="MlNetTrainer"/>
/// for tree/linear specs sent with compute=gpu, which have no GPU path), write the outputs and post a
/// <see cref="GpuTrainingResult"/>. Any failure is posted as a failed result; the request is deleted once answered.
/// A replica of a multi-replica run (<see cref="GpuTrainingRequest.Replicas"/> &gt; 1) trains with a
/// <see cref="BlobReplicaExchange"/>; only replica 0 writes the outputs, and only the first replica to claim the run's
/// result blob posts a result (replica 0's success, or whichever failure came first). A request with a
/// <see cref="GpuTrainingRequest.Trial"/> scores one sweep trial through <see cref="SweepTrials"/> (score blob first, so a
/// redelivered message answers the stored score without fitting) and posts it as a trial result.
/// </summary>
/// <param name="queues">Built with <see cref="StorageClients.QueueOptions"/> (base64 messages).</param>
/// <param name="computeFactory">A fresh compute per MLP run or trial fit (e.g. CUDA when present, else plain C#).</param>
/// <param name="trials">Sweep trials (shares its data cache with the host's activities when there are any).</param>
public sealed class GpuTrainingWorker(
    QueueServiceClient queues,
    RunArtifacts artifacts,
    Func<IMlpCompute> computeFactory,
    ILogger<GpuTrainingWorker> logger,
    GpuTrainingWorkerOptions? options = null,
    TimeProvider? time = null,
    SweepTrials? trials = null)
{
    private readonly SweepTrials _trials = trials ?? new SweepTrials(artifacts, new SweepDataCache(), NullLogger<SweepTrials>.Instance);
    private readonly GpuTrainingWorkerOptions _options = options ?? new GpuTrainingWorkerOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// Processes requests until cancelled, polling while the queue is empty; up to
    /// <see cref="GpuTrainingWorkerOptions.Concurrency"/> requests train at once (one poll loop either way).
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var ensured = false;
        using var slots = new SemaphoreSlim(Math.Max(1, _options.Concurrency));
        List<Task> running = [];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    if (!ensured)
                    {
                        await EnsureQueuesAsync(ct).ConfigureAwait(false);
                        ensured = true;
                    }

                    await slots.WaitAsync(ct).ConfigureAwait(false);
                    QueueMessage? message;
                    try
                    {
                        message = await ReceiveAsync(ct).ConfigureAwait(false);
                    }
                    catch
                    {
                        slots.Release();
                        throw;
                    }

                    if (message is null)
                    {
                        slots.Release();
                        await Task.Delay(_options.PollInterval, ct).ConfigureAwait(false);
                        continue;
                    }

                    running.RemoveAll(t => t.IsCompleted);
                    running.Add(HandleInSlotAsync(message, slots, ct));
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Storage unreachable (past the client's retries): the loop carries on, or a hosted copy of it
                    // would stop its whole host over an outage. An unanswered request is received again later.
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
        finally
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    private async Task HandleInSlotAsync(QueueMessage message, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            await Task.Yield();
            await HandleAsync(message, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the request reappears after its visibility timeout.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "GPU training request {MessageId} was not answered; it is received again after its visibility timeout.", message.MessageId);
        }
        finally
        {
            slots.Release();
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
        var message = await ReceiveAsync(ct).ConfigureAwait(false);
        if (message is null) return false;
        await HandleAsync(message, ct).ConfigureAwait(false);
        return true;
    }

    private async Task<QueueMessage?> ReceiveAsync(CancellationToken ct) =>
        (await queues.GetQueueClient(_options.RequestsQueue).ReceiveMessageAsync(_options.VisibilityTimeout, ct).ConfigureAwait(false)).Value;

    private async Task HandleAsync(QueueMessage message, CancellationToken ct)
    {
        var requests = queues.GetQueueClient(_options.RequestsQueue);
        var request = Parse(message);
        if (request is null)
        {
            // Nothing to answer: without a run id no orchestration waits on it.
            logger.LogError("Dropping malformed GPU training request {MessageId}.", message.MessageId);
            await requests.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct).ConfigureAwait(false);
            return;
        }

        // Whatever this request logs goes to its run's log too (the run page shows the job's lines beside the activities').
        await using var runLog = RunLogScope.Begin(request.RunId, request.Model, request.Trial is null ? PipelineSteps.Train : PipelineSteps.Sweep, RunLogSources.Job);
        GpuTrainingResult? result;
        var receipt = message.PopReceipt;
        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            result = Failed(request, $"The training request was dequeued {message.DequeueCount} times (more than {_options.MaxDequeueCount}); the trainer stopped before finishing each time, so the run is failed instead of retried.");
        }
        else
        {
            logger.LogInformation("Training run {RunId} of {Model}, {What} (attempt {Attempt}).", request.RunId, request.Model,
                request.Trial is { } t ? $"sweep trial {t.Trial} rung {t.Rung}" : $"replica {request.Replica} of {request.Replicas}", message.DequeueCount);
            var training = request.Trial is { } trial ? RunTrialAsync(request, trial, ct) : TrainAsync(request, ct);

            // Keep the request hidden while training runs longer than the visibility timeout.
            while (await Task.WhenAny(training, Task.Delay(_options.VisibilityTimeout / 2, ct)).ConfigureAwait(false) != training)
            {
                receipt = (await requests.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: _options.VisibilityTimeout, cancellationToken: ct).ConfigureAwait(false)).Value.PopReceipt;
            }

            result = await training.ConfigureAwait(false);
        }

        if (result is not null && await ClaimResultAsync(request, ct).ConfigureAwait(false))
        {
            await queues.GetQueueClient(_options.ResultsQueue).SendMessageAsync(JsonSerializer.Serialize(result, PlatformJson.Options), ct).ConfigureAwait(false);
        }

        await requests.DeleteMessageAsync(message.MessageId, receipt, ct).ConfigureAwait(false);
        logger.LogInformation("Run {RunId} replica {Replica}/{Replicas}{Trial}: {Outcome}.", request.RunId, request.Replica, request.Replicas,
            request.Trial is { } answered ? $", trial {answered.Trial} rung {answered.Rung}" : "",
            result is null ? "trained its share" : result.Succeeded ? "trained" : $"failed ({result.Error})");
    }

    /// <summary>A multi-replica run is answered once: by the replica that creates the run's result blob first.</summary>
    private async Task<bool> ClaimResultAsync(GpuTrainingRequest request, CancellationToken ct)
    {
        if (request.Replicas <= 1) return true;
        try
        {
            await artifacts.Runs.GetBlobClient(BlobLayout.RunResultClaim(request.Model, request.RunId)).UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(new { request.Replica, At = _time.GetUtcNow() }, PlatformJson.Options)),
                new Azure.Storage.Blobs.Models.BlobUploadOptions { Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfNoneMatch = Azure.ETag.All } },
                ct).ConfigureAwait(false);
            return true;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            logger.LogInformation("Run {RunId} was already answered by another replica; replica {Replica} posts nothing.", request.RunId, request.Replica);
            return false;
        }
    }

    /// <summary>One sweep trial: the run's frozen spec with the trial's parameters, scored (or its stored score returned).</summary>
    private async Task<GpuTrainingResult?> RunTrialAsync(GpuTrainingRequest request, JobTrial trial, CancellationToken ct)
    {
        try
        {
            var spec = await artifacts.ReadSpecAsync(request.Model, request.RunId, ct).ConfigureAwait(false);
            var score = await _trials.RunAsync(
                new TrialRequest(request.RunId, request.Model, request.DatasetSha256, spec, trial.Trial, trial.Rung, trial.Parameters),
                TrainingPlacement.Job, computeFactory, ct).ConfigureAwait(false);
            return new GpuTrainingResult(request.RunId, request.Model, score.Error is null, score.Error, null, score);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Sweep trial {Trial} rung {Rung} of run {RunId} failed.", trial.Trial, trial.Rung, request.RunId);
            return Failed(request, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <returns>The run's result, or null from a replica other than 0 that trained its share (replica 0 answers).</returns>
    private async Task<GpuTrainingResult?> TrainAsync(GpuTrainingRequest request, CancellationToken ct)
    {
        ModelSpec? spec = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            spec = await artifacts.ReadSpecAsync(request.Model, request.RunId, ct).ConfigureAwait(false);
            if (request.Hyperparameters is { } tuned)
            {
                spec = spec with { Trainer = spec.Trainer with { Hyperparameters = tuned } };
            }

            timeout.CancelAfter(spec.Trainer.Timeout ?? TrainerSpec.DefaultTimeout);
            var data = await artifacts.ReadDatasetAsync(request.Model, request.DatasetSha256, timeout.Token).ConfigureAwait(false);
            if (request.Replica == 0) logger.LogTrainingSet(spec, data);

            var exchange = request.Replicas > 1
                ? await BlobReplicaExchange.OpenAsync(artifacts.Runs, request.Model, request.RunId, request.Replica, request.Replicas, _options.Sync, _time, timeout.Token).ConfigureAwait(false)
                : null;
            if (exchange is { ResumedAfterRound: >= 0 })
            {
                logger.LogInformation("Run {RunId} replica {Replica} resumes: replaying rounds up to {Round} from the latest checkpoint and stored contributions.", request.RunId, request.Replica, exchange.ResumedAfterRound);
            }

            // Training is CPU-bound (or blocks on the GPU, or waits on the other replicas): keep it off the caller's thread.
            var fitting = System.Diagnostics.Stopwatch.GetTimestamp();
            var (trained, device) = await Task.Factory.StartNew(() => Train(request.RunId, spec, data, exchange, timeout.Token), timeout.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            if (request.Replica != 0) return null;
            logger.LogFitted(trained, device, System.Diagnostics.Stopwatch.GetElapsedTime(fitting));
            var writing = System.Diagnostics.Stopwatch.GetTimestamp();
            var record = await artifacts.WriteTrainingAsync(request.Model, request.RunId, spec, data, trained, device, timeout.Token).ConfigureAwait(false);
            logger.LogArtifacts(record, System.Diagnostics.Stopwatch.GetElapsedTime(writing));
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

    private (TrainingResult Trained, string Device) Train(string runId, ModelSpec spec, Datasets.TabularDataset data, IReplicaExchange? exchange, CancellationToken ct)
    {
        if (spec.Trainer.Type != TrainerKind.Mlp)
        {
            if (exchange is not null) throw new ArgumentException("Only mlp runs train on several replicas.");
            return (new MlNetTrainer().Train(spec, data, ct), CpuMlpCompute.DeviceName);
        }

        using var compute = computeFactory();
        logger.LogInformation("Run {RunId} trains on {Device}.", runId, compute.Device);
        var trained = new MlpTrainer().Train(spec, data, compute, ct, e => logger.LogInformation(
            "Run {RunId} epoch {Epoch}: train loss {TrainLoss:F4}, validation loss {ValidationLoss:F4} ({Seconds:F2} s)",
            runId, e.Epoch, e.TrainLoss, e.ValidationLoss, e.Elapsed.TotalSeconds), exchange);
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

    /// <summary>A failed answer; for a trial, a failed score under the trial's event.</summary>
    private static GpuTrainingResult Failed(GpuTrainingRequest request, string error) =>
        new(request.RunId, request.Model, false, error, null, request.Trial is { } t ? new TrialScore(t.Trial, t.Rung, null, 0, error, TrainingPlacement.Job) : null);
}
