using Serverless.Trainer;

// GPU trainer: one Container Apps Job execution per burst of messages on gpu-training-requests (KEDA azure-queue
// rule). `--bench [ROWS] [EPOCHS]` instead times the MLP on synthetic data, CUDA vs plain C# (bench/gpu/run.sh).
return await TrainerCommandLine.InvokeAsync(TrainerCommandLine.Create(new TrainerCommandActions(MlpBench.Run, RunWorkerAsync)), args);

static async Task<int> RunWorkerAsync(string[] hostArgs, CancellationToken ct)
{
    await TrainerHost.CreateBuilder(hostArgs).Build().RunAsync(ct);
    return 0;
}
