using Serverless.Trainer;

// GPU trainer: one Container Apps Job execution per burst of messages on gpu-training-requests (KEDA azure-queue
// rule). `--bench ROWS [EPOCHS]` instead times the MLP on synthetic data, CUDA vs plain C# (bench/gpu/run.sh).
if (args.Length > 0 && args[0] == "--bench")
{
    return MlpBench.Run(args[1..]);
}

TrainerHost.CreateBuilder(args).Build().Run();
return 0;
