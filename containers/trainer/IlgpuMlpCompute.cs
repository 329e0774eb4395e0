using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Serverless.Core.Training.Mlp;

namespace Serverless.Trainer;

/// <summary>
/// MLP kernels on a CUDA GPU through ILGPU. <see cref="Create"/> falls back to the plain C# compute when no CUDA
/// device is present (unless told cuda): ILGPU's own CPU accelerator is several times slower than plain C#, so it is never the fallback.
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

    /// <summary>
    /// CUDA device 0 when the driver and a GPU are there; otherwise <see cref="CpuMlpCompute"/>, unless
    /// <paramref name="device"/> is <see cref="TrainerDevice.Cuda"/>, which throws with the reason instead.
    /// </summary>
    public static IMlpCompute Create(TrainerDevice device = TrainerDevice.Auto)
    {
        if (device == TrainerDevice.Cpu)
        {
            return new CpuMlpCompute();
        }

        Context? context = null;
        string reason;
        try
        {
            context = Context.Create(b => b.Cuda().EnableAlgorithms());
            var devices = context.GetCudaDevices();
            if (devices.Count > 0) return new IlgpuMlpCompute(context, devices[0].CreateAccelerator(context));
            reason = "no CUDA device found";
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException or NotSupportedException)
        {
            // No CUDA driver on this machine.
            reason = $"{e.GetType().Name}: {e.Message}";
        }

        context?.Dispose();
        return device == TrainerDevice.Cuda
            ? throw new InvalidOperationException($"Trainer:Device is cuda but CUDA is unavailable ({reason}); refusing to train on the CPU. Set Trainer:Device to auto to allow the CPU fallback.")
            : new CpuMlpCompute();
    }

    public IMlpWorker CreateWorker(MlpLayout layout, int maxRows) => new IlgpuMlpWorker(_accelerator, Kernels, layout, maxRows);

    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }
}
