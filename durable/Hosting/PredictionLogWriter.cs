using Microsoft.Extensions.Hosting;
using Serverless.Core.Monitoring.Logging;

namespace Serverless.Durable.Hosting;

/// <summary>Runs the prediction log's writer loop for the life of the host; on stop it writes what is buffered.</summary>
public sealed class PredictionLogWriter(PredictionLog log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => log.RunAsync(stoppingToken);
}
