using Serverless.Core.Storage;
using Serverless.Core.Training;
using Serverless.Core.Training.Mlp;
using Serverless.Core.Training.Remote;
using Serverless.Trainer;

// GPU trainer: one Container Apps Job execution per burst of messages on gpu-training-requests (KEDA azure-queue
// rule). `--bench ROWS [EPOCHS]` instead times the MLP on synthetic data, CUDA vs plain C# (bench/gpu/run.sh).
if (args.Length > 0 && args[0] == "--bench")
{
    return MlpBench.Run(args[1..]);
}

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSingleton(_ => new PlatformStorage(StorageClients.Blobs(builder.Configuration, "AzureWebJobsStorage")));
builder.Services.AddSingleton<RunArtifacts>();
builder.Services.AddSingleton(sp => new GpuTrainingWorker(
    StorageClients.Queues(builder.Configuration, "AzureWebJobsStorage"),
    sp.GetRequiredService<RunArtifacts>(),
    IlgpuMlpCompute.Create,
    sp.GetRequiredService<ILogger<GpuTrainingWorker>>(),
    builder.Configuration.GetSection("Trainer").Get<GpuTrainingWorkerOptions>()));
builder.Services.AddHostedService<TrainerWorker>();
builder.Build().Run();
return 0;
