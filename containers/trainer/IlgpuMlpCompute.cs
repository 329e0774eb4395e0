using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Serverless.Core.Training.Mlp;

namespace Serverless.Trainer;

/// <summary>
/// MLP kernels on a CUDA GPU through ILGPU. <see cref="Create"/> falls back to the plain C# compute when no CUDA
/// device is present: ILGPU's own CPU accelerator is several times slower than plain C#, so it is never the fallback.
/// </summary>
public sealed class IlgpuMlpCompute : IMlpCompute
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;

    internal IlgpuMlpCompute(Context context, Accelerator accelerator)
    {
        _context = context;
        _accelerator = accelerator;
        Kernels = new MlpKernels(accelerator);
    }

    public string Device => $"{(_accelerator.AcceleratorType == AcceleratorType.Cuda ? "cuda" : _accelerator.AcceleratorType.ToString().ToLowerInvariant())}:{_accelerator.Name}";

    internal MlpKernels Kernels { get; }

    /// <summary>CUDA device 0 when the driver and a GPU are there; otherwise <see cref="CpuMlpCompute"/>.</summary>
    public static IMlpCompute Create()
    {
        Context? context = null;
        try
        {
            context = Context.Create(b => b.Cuda().EnableAlgorithms());
            var devices = context.GetCudaDevices();
            if (devices.Count > 0) return new IlgpuMlpCompute(context, devices[0].CreateAccelerator(context));
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException or NotSupportedException)
        {
            // No CUDA driver on this machine.
        }

        context?.Dispose();
        return new CpuMlpCompute();
    }

    public IMlpWorker CreateWorker(MlpLayout layout, int maxRows) => new IlgpuMlpWorker(_accelerator, Kernels, layout, maxRows);

    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }
}
