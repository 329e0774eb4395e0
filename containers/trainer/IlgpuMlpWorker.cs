using ILGPU;
using ILGPU.Runtime;
using Serverless.Core.Training.Mlp;

namespace Serverless.Trainer;

/// <summary>
/// One data-parallel worker on the accelerator: parameters and the batch go up, hidden layers run as kernels, the
/// small output layer's loss and gradient are computed on the host by <see cref="MlpLosses"/> (so CPU and GPU
/// report identical loss formulas), and the gradient comes back down for the allreduce.
/// </summary>
internal sealed class IlgpuMlpWorker : IMlpWorker
{
    private readonly Accelerator _accelerator;
    private readonly MlpKernels _kernels;
    private readonly MlpLayout _layout;
    private readonly int _maxRows;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _parameters;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _gradients;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _features;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _activations;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _deltaA;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _deltaB;
    private readonly float[] _hostOutputs;
    private readonly float[] _hostDelta;

    public IlgpuMlpWorker(Accelerator accelerator, MlpKernels kernels, MlpLayout layout, int maxRows)
    {
        _accelerator = accelerator;
        _kernels = kernels;
        _layout = layout;
        _maxRows = maxRows;
        _parameters = accelerator.Allocate1D<float>(layout.ParameterCount);
        _gradients = accelerator.Allocate1D<float>(layout.ParameterCount);
        _features = accelerator.Allocate1D<float>((long)maxRows * layout.Inputs);
        _activations = Enumerable.Range(0, layout.LayerCount).Select(l => accelerator.Allocate1D<float>((long)maxRows * layout.LayerOutputs(l))).ToArray();
        _deltaA = accelerator.Allocate1D<float>((long)maxRows * layout.MaxWidth);
        _deltaB = accelerator.Allocate1D<float>((long)maxRows * layout.MaxWidth);
        _hostOutputs = new float[maxRows * layout.Outputs];
        _hostDelta = new float[maxRows * layout.Outputs];
    }

    public double ComputeGradients(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, ReadOnlyMemory<float> targets, int rows, Memory<float> gradients)
    {
        CheckRows(rows);

        // Workers of several GPUs run on pool threads: make this worker's device current on this one.
        _accelerator.Bind();
        if (rows == 0)
        {
            gradients.Span.Clear();
            return 0;
        }

        RunForward(parameters, features, rows);
        var outputs = rows * _layout.Outputs;
        var loss = MlpLosses.Compute(_layout.Loss, _hostOutputs.AsSpan(0, outputs), targets.Span, rows, _layout.Outputs, _hostDelta.AsSpan(0, outputs));
        V(_deltaA).SubView(0, outputs).CopyFromCPU(_hostDelta.AsSpan(0, outputs));

        ArrayView<float> delta = V(_deltaA), spare = V(_deltaB);
        for (var l = _layout.HiddenLayers; l >= 0; l--)
        {
            int inDim = _layout.LayerInputs(l), outDim = _layout.LayerOutputs(l);
            var input = (l == 0 ? V(_features) : V(_activations[l - 1])).SubView(0, (long)rows * inDim);
            var d = delta.SubView(0, (long)rows * outDim);
            _kernels.WeightGradients(new Index2D(inDim, outDim), input, d, V(_gradients).SubView(_layout.WeightOffset(l), (long)inDim * outDim), rows);
            _kernels.BiasGradients(outDim, d, V(_gradients).SubView(_layout.BiasOffset(l), outDim), rows, outDim);
            if (l > 0)
            {
                var next = spare.SubView(0, (long)rows * inDim);
                _kernels.InputGradients(new Index2D(rows, inDim), d, V(_parameters).SubView(_layout.WeightOffset(l), (long)inDim * outDim), input, next, outDim);
                (delta, spare) = (spare, delta);
            }
        }

        _accelerator.Synchronize();
        V(_gradients).CopyToCPU(gradients.Span);
        return loss;
    }

    public void Forward(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, int rows, Memory<float> outputs)
    {
        CheckRows(rows);
        _accelerator.Bind();
        if (rows == 0) return;
        RunForward(parameters, features, rows);
        _hostOutputs.AsSpan(0, rows * _layout.Outputs).CopyTo(outputs.Span);
    }

    public void Dispose()
    {
        _parameters.Dispose();
        _gradients.Dispose();
        _features.Dispose();
        foreach (var a in _activations) a.Dispose();
        _deltaA.Dispose();
        _deltaB.Dispose();
    }

    // Leaves the logits in _hostOutputs.
    private void RunForward(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, int rows)
    {
        V(_parameters).CopyFromCPU(parameters.Span);
        V(_features).SubView(0, (long)rows * _layout.Inputs).CopyFromCPU(features.Span[..(rows * _layout.Inputs)]);
        ArrayView<float> input = V(_features).SubView(0, (long)rows * _layout.Inputs);
        for (var l = 0; l < _layout.LayerCount; l++)
        {
            int inDim = _layout.LayerInputs(l), outDim = _layout.LayerOutputs(l);
            var output = V(_activations[l]).SubView(0, (long)rows * outDim);
            _kernels.Dense(new Index2D(rows, outDim), input, V(_parameters).SubView(_layout.WeightOffset(l), (long)inDim * outDim),
                V(_parameters).SubView(_layout.BiasOffset(l), outDim), output, inDim, l < _layout.HiddenLayers ? 1 : 0);
            input = output;
        }

        _accelerator.Synchronize();
        V(_activations[_layout.HiddenLayers]).SubView(0, (long)rows * _layout.Outputs).CopyToCPU(_hostOutputs.AsSpan(0, rows * _layout.Outputs));
    }

    // The dense 1D view as a plain contiguous view (what the copy helpers and kernels take).
    private static ArrayView<float> V(MemoryBuffer1D<float, Stride1D.Dense> buffer) => buffer.View;

    private void CheckRows(int rows)
    {
        if (rows < 0 || rows > _maxRows) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"Worker holds at most {_maxRows} rows.");
    }
}
