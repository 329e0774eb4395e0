using Microsoft.Extensions.Options;

namespace Serverless.Trainer;

/// <summary>
/// Opens the configured device once before the worker takes a request, and says which one trains. With
/// <see cref="TrainerDevice.Cuda"/> and no CUDA device the host fails to start (the execution fails with the reason)
/// and the request stays on the queue, rather than being trained on the CPU.
/// </summary>
public sealed class TrainerDeviceCheck(IOptions<TrainerDeviceOptions> options, ILogger<TrainerDeviceCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var compute = IlgpuMlpCompute.Create(options.Value.Device);
        logger.LogInformation("MLP training runs on {Device} (Trainer:Device {Requested}).", compute.Device, options.Value.Device.ToString().ToLowerInvariant());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
