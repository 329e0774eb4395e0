namespace Serverless.Trainer;

/// <summary>Logs the queue it serves and ends the execution (a job replica must exit to complete).</summary>
public sealed class TrainerWorker(IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<TrainerWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = configuration["Training:RequestsQueue"] ?? "gpu-training-requests";
        logger.LogInformation("Trainer started (queue {Queue}); no training implemented yet, completing execution.", queue);
        lifetime.StopApplication();
        return Task.CompletedTask;
    }
}
