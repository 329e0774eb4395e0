using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Hosting;
using Serverless.Core.Runs;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Sweeps;

namespace Serverless.Core.Training.Remote;

public static class GpuTrainerRegistration
{
    /// <summary>
    /// The GPU trainer's worker over the platform's queues, options from section <see cref="GpuTrainingWorkerOptions.Section"/>
    /// then <paramref name="configure"/>; <paramref name="compute"/> makes a fresh compute per MLP run.
    /// </summary>
    public static PlatformBuilder AddGpuTrainer(this PlatformBuilder platform, Func<IMlpCompute> compute, Func<GpuTrainingWorkerOptions, GpuTrainingWorkerOptions>? configure = null)
    {
        var bound = platform.Configuration.GetSection(GpuTrainingWorkerOptions.Section).Get<GpuTrainingWorkerOptions>() ?? new GpuTrainingWorkerOptions();
        platform.Services.TryAddSingleton(Options.Create(configure?.Invoke(bound) ?? bound));
        platform.Services.TryAddSingleton<RunArtifacts>();
        platform.Services.AddRunLog(platform.Configuration);
        platform.Services.TryAddSingleton<SweepDataCache>();
        platform.Services.TryAddSingleton<SweepTrials>();
        platform.Services.TryAddSingleton(sp => new GpuTrainingWorker(
            sp.GetRequiredService<QueueServiceClient>(),
            sp.GetRequiredService<RunArtifacts>(),
            compute,
            sp.GetRequiredService<ILogger<GpuTrainingWorker>>(),
            sp.GetRequiredService<IOptions<GpuTrainingWorkerOptions>>().Value,
            trials: sp.GetRequiredService<SweepTrials>()));
        return platform;
    }
}
