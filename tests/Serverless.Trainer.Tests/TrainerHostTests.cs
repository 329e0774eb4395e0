using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serverless.Core.Training.Mlp;

namespace Serverless.Trainer.Tests;

/// <summary>The trainer job's host as Program.cs builds it. No GPU here, so cuda mode must refuse.</summary>
public sealed class TrainerHostTests
{
    // Nothing listens on port 1: the host must fail on the device, before any storage call.
    private const string Storage = "--AzureWebJobsStorage=DefaultEndpointsProtocol=http;AccountName=none;AccountKey=bm9uZQ==;BlobEndpoint=http://127.0.0.1:1/none;QueueEndpoint=http://127.0.0.1:1/none;TableEndpoint=http://127.0.0.1:1/none;";

    [Fact]
    public void Cuda_mode_refuses_the_cpu_and_says_why()
    {
        var e = Assert.Throws<InvalidOperationException>(() => IlgpuMlpCompute.Create(TrainerDevice.Cuda));
        Assert.Contains("Trainer:Device is cuda but CUDA is unavailable", e.Message, StringComparison.Ordinal);
        using var cpu = IlgpuMlpCompute.Create(TrainerDevice.Cpu);
        Assert.IsType<CpuMlpCompute>(cpu);
    }

    [Fact]
    public async Task In_cuda_mode_the_host_fails_to_start_before_taking_a_request()
    {
        using var host = TrainerHost.CreateBuilder([Storage, "--Trainer:Device=cuda", "--Trainer:ExitWhenIdle=false"]).Build();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("refusing to train on the CPU", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trainer_exports_telemetry_with_its_managed_identity()
    {
        using var host = TrainerHost.CreateBuilder(
        [
            Storage,
            "--APPLICATIONINSIGHTS_CONNECTION_STRING=InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://localhost/",
            "--AzureWebJobsStorage__clientId=11111111-1111-1111-1111-111111111111",
        ]).Build();
        var exporter = host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        Assert.IsType<ManagedIdentityCredential>(exporter.Credential);
    }
}
