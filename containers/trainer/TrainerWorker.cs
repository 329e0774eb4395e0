using Microsoft.Extensions.Options;
using Serverless.Core.Training.Remote;

namespace Serverless.Trainer;

/// <summary>
/// Hosts <see cref="GpuTrainingWorker"/>. As a Container Apps Job execution (<see cref="GpuTrainingWorkerOptions.ExitWhenIdle"/>)
/// it drains the queue and stops the application, since a job replica must exit to complete; otherwise it polls.
/// </summary>
public sealed class TrainerWorker(GpuTrainingWorker worker, IOptions<GpuTrainingWorkerOptions> options, IHostApplicationLifetime lifetime, ILogger<TrainerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ExitWhenIdle)
        {
            await worker.RunAsync(stoppingToken);
            return;
        }

        await worker.EnsureQueuesAsync(stoppingToken);
        var handled = 0;
        while (!stoppingToken.IsCancellationRequested && await worker.ProcessOneAsync(stoppingToken)) handled++;
        logger.LogInformation("Queue {Queue} drained after {Count} request(s); completing execution.", GpuQueues.Requests, handled);
        lifetime.StopApplication();
    }
}
