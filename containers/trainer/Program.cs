using Serverless.Trainer;

// GPU trainer: one Container Apps Job execution per message on gpu-training-requests (KEDA azure-queue rule).
// A later issue fills in dequeue → train → publish; for now an execution starts, logs and completes.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddHostedService<TrainerWorker>();
builder.Build().Run();
