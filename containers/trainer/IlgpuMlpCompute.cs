using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Serverless.Core.Training.Mlp;

namespace Serverless.Trainer;

/// <summary>
/// MLP kernels on every CUDA GPU of the machine through ILGPU: the in-process data-parallel workers are spread over
/// the devices by <see cref="TrainerWorkerPlan"/> and joined by the ring all-reduce. <see cref="Create"/> falls back to the plain C# compute when no CUDA
/// device is present (unless told cuda): ILGPU's own CPU accelerator is several times slower than plain C#, so it is never the fallback.
/// </summary>
public sealed class IlgpuMlpCompute : IMlpCompute
{
    private readonly Context _context;
    private readonly Accelerator[] _accelerators;
    private readonly MlpKernels[] _kernels;
    private TrainerWorkerPlan? _plan;
    private int _created;

    internal IlgpuMlpCompute(Context context, params Accelerator[] accelerators)
    {
        if (accelerators.Length == 0) throw new ArgumentException("At least one accelerator.", nameof(accelerators));
        _context = context;
        _accelerators = accelerators;
        _kernels = accelerators.Select(a => new MlpKernels(a)).ToArray();
    }

    /// <summary>e.g. <c>cuda:NVIDIA H200</c>, or <c>cuda:4×NVIDIA H100</c> when the replica has several GPUs.</summary>
    public string Device
    {
        get
        {
            var a = _accelerators[0];
            var kind = a.AcceleratorType == AcceleratorType.Cuda ? "cuda" : a.AcceleratorType.ToString().ToLowerInvariant();
            return _accelerators.Length == 1 ? $"{kind}:{a.Name}" : $"{kind}:{_accelerators.Length}×{a.Name}";
        }
    }

    /// <summary>Every device gets work: at least one worker per device, the same number on each.</summary>
    public int PlanWorkers(int requested)
    {
        _plan = TrainerWorkerPlan.For(_accelerators.Length, TrainerDevice.Cuda, requested);
        _created = 0;
        return _plan.Workers;
    }

    /// <summary>
    /// Every CUDA device when the driver and a GPU are there; otherwise <see cref="CpuMlpCompute"/>, unless
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
            if (devices.Count > 0)
            {
                var accelerators = new Accelerator[devices.Count];
                for (var i = 0; i < accelerators.Length; i++) accelerators[i] = devices[i].CreateAccelerator(context);
                return new IlgpuMlpCompute(context, accelerators);
            }

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

    /// <summary>The next worker of the plan (workers are created in rank order), on its device.</summary>
    public IMlpWorker CreateWorker(MlpLayout layout, int maxRows)
    {
        var plan = _plan ?? TrainerWorkerPlan.For(_accelerators.Length, TrainerDevice.Cuda, 1);
        var device = plan.WorkerDevices[_created++ % plan.Workers];
        return new IlgpuMlpWorker(_accelerators[device], _kernels[device], layout, maxRows);
    }

    public void Dispose()
    {
        foreach (var a in _accelerators) a.Dispose();
        _context.Dispose();
    }
}
