using Serverless.Core.Hosting;
using Serverless.Core.Training.Remote;
using Serverless.ServiceDefaults;

namespace Serverless.Trainer;

/// <summary>Composes the trainer job's host, so tests build the same one Program.cs runs.</summary>
public static class TrainerHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var section = builder.Configuration.GetSection(TrainerDeviceOptions.Section);
        builder.Services.AddOptions<TrainerDeviceOptions>().Bind(section);
        var device = section.Get<TrainerDeviceOptions>()?.Device ?? TrainerDevice.Auto;
        builder.Services.AddServerlessPlatform(builder.Configuration).AddGpuTrainer(() => IlgpuMlpCompute.Create(device));
        builder.AddServiceDefaults("serverless-trainer");

        // Hosted services start in order: the device check before the worker takes a request.
        builder.Services.AddHostedService<TrainerDeviceCheck>();
        builder.Services.AddHostedService<TrainerWorker>();
        return builder;
    }
}
