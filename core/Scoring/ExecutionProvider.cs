namespace Serverless.Core.Scoring;

/// <summary>Which ONNX Runtime execution provider scores (configuration <c>Scoring:ExecutionProvider</c>).</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when this ONNX Runtime build has it and a GPU answers; otherwise CPU.</summary>
    Auto,

    /// <summary>CUDA or fail: a GPU deployment that silently fell back to CPU would look healthy while far slower.</summary>
    Cuda,

    /// <summary>The CPU provider only.</summary>
    Cpu,
}
