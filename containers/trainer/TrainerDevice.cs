namespace Serverless.Trainer;

/// <summary>Where the trainer runs MLP training (configuration <c>Trainer:Device</c>), like the scorer's <c>Scoring:ExecutionProvider</c>.</summary>
public enum TrainerDevice
{
    /// <summary>CUDA when a device answers; otherwise the plain C# compute.</summary>
    Auto,

    /// <summary>CUDA or fail: a GPU job that silently trained on the CPU would look healthy while far slower (and bill GPU time).</summary>
    Cuda,

    /// <summary>The plain C# compute only.</summary>
    Cpu,
}
