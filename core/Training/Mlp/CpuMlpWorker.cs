using System.Numerics;
using System.Runtime.InteropServices;

namespace Serverless.Core.Training.Mlp;

/// <summary>
/// One worker's forward/backward in plain C#. Every parallel loop owns whole output rows (or whole weight rows), and
/// each output element is summed in a fixed order, so results do not depend on how many threads ran.
/// </summary>
internal sealed class CpuMlpWorker : IMlpWorker
{
    // Below this many multiply-adds a Parallel.For costs more than it saves.
    private const long ParallelThreshold = 1 << 16;

    private readonly MlpLayout _layout;
    private readonly int _maxRows;
    private readonly float[][] _activations; // [l] = output of layer l (post-ReLU for hidden layers)
    private readonly float[] _deltaA;
    private readonly float[] _deltaB;

    public CpuMlpWorker(MlpLayout layout, int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        _layout = layout;
        _maxRows = maxRows;
        _activations = Enumerable.Range(0, layout.LayerCount).Select(l => new float[maxRows * layout.LayerOutputs(l)]).ToArray();
        _deltaA = new float[maxRows * layout.MaxWidth];
        _deltaB = new float[maxRows * layout.MaxWidth];
    }

    public double ComputeGradients(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, ReadOnlyMemory<float> targets, int rows, Memory<float> gradients)
    {
        CheckRows(rows);
        gradients.Span.Clear();
        if (rows == 0) return 0;

        RunForward(parameters, features, rows);
        var last = _layout.HiddenLayers;
        var outputs = _layout.Outputs;
        var delta = _deltaA.AsMemory(0, rows * outputs);
        var loss = MlpLosses.Compute(_layout.Loss, _activations[last].AsSpan(0, rows * outputs), targets.Span, rows, outputs, delta.Span);

        var deltaInA = true;
        for (var l = last; l >= 0; l--)
        {
            var input = l == 0 ? features : _activations[l - 1];
            int inDim = _layout.LayerInputs(l), outDim = _layout.LayerOutputs(l);
            WeightGradients(input, delta, rows, inDim, outDim, gradients.Slice(_layout.WeightOffset(l), inDim * outDim));
            var db = gradients.Span.Slice(_layout.BiasOffset(l), outDim);
            for (var i = 0; i < rows; i++) Add(delta.Span.Slice(i * outDim, outDim), db);

            if (l > 0)
            {
                // Ping-pong between the two delta buffers.
                var next = (deltaInA ? _deltaB : _deltaA).AsMemory(0, rows * inDim);
                InputGradients(delta, parameters.Slice(_layout.WeightOffset(l), inDim * outDim), _activations[l - 1], rows, inDim, outDim, next);
                delta = next;
                deltaInA = !deltaInA;
            }
        }

        return loss;
    }

    public void Forward(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, int rows, Memory<float> outputs)
    {
        CheckRows(rows);
        if (rows == 0) return;
        RunForward(parameters, features, rows);
        _activations[_layout.HiddenLayers].AsSpan(0, rows * _layout.Outputs).CopyTo(outputs.Span);
    }

    public void Dispose()
    {
        // Managed buffers only.
    }

    private void CheckRows(int rows)
    {
        if (rows < 0 || rows > _maxRows) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"Worker holds at most {_maxRows} rows.");
    }

    private void RunForward(ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> features, int rows)
    {
        var input = features;
        for (var l = 0; l < _layout.LayerCount; l++)
        {
            int inDim = _layout.LayerInputs(l), outDim = _layout.LayerOutputs(l);
            var output = _activations[l].AsMemory(0, rows * outDim);
            Dense(input, parameters, _layout.WeightOffset(l), _layout.BiasOffset(l), rows, inDim, outDim, output, relu: l < _layout.HiddenLayers);
            input = output;
        }
    }

    // z[i,:] = b + Σ_k a[i,k]·W[k,:]  (then ReLU)
    private static void Dense(ReadOnlyMemory<float> a, ReadOnlyMemory<float> p, int wOffset, int bOffset, int rows, int inDim, int outDim, Memory<float> z, bool relu) =>
        For(rows, (long)inDim * outDim, i =>
        {
            var ps = p.Span;
            var zi = z.Span.Slice(i * outDim, outDim);
            ps.Slice(bOffset, outDim).CopyTo(zi);
            var ai = a.Span.Slice(i * inDim, inDim);
            for (var k = 0; k < inDim; k++)
            {
                // ReLU outputs and one-hot slots are often exactly zero.
                if (ai[k] != 0) Axpy(ai[k], ps.Slice(wOffset + (k * outDim), outDim), zi);
            }

            if (relu) Relu(zi);
        });

    // dW[k,:] = Σ_i a[i,k]·δ[i,:]
    private static void WeightGradients(ReadOnlyMemory<float> a, ReadOnlyMemory<float> delta, int rows, int inDim, int outDim, Memory<float> dw) =>
        For(inDim, (long)rows * outDim, k =>
        {
            var row = dw.Span.Slice(k * outDim, outDim);
            var aa = a.Span;
            var dd = delta.Span;
            for (var i = 0; i < rows; i++)
            {
                var v = aa[(i * inDim) + k];
                if (v != 0) Axpy(v, dd.Slice(i * outDim, outDim), row);
            }
        });

    // δa[i,k] = (Σ_j δ[i,j]·W[k,j]) · [a[i,k] > 0]
    private static void InputGradients(ReadOnlyMemory<float> delta, ReadOnlyMemory<float> w, float[] a, int rows, int inDim, int outDim, Memory<float> next) =>
        For(rows, (long)inDim * outDim, i =>
        {
            var di = delta.Span.Slice(i * outDim, outDim);
            var ws = w.Span;
            var ni = next.Span.Slice(i * inDim, inDim);
            for (var k = 0; k < inDim; k++)
            {
                ni[k] = a[(i * inDim) + k] > 0 ? Dot(di, ws.Slice(k * outDim, outDim)) : 0f;
            }
        });

    private static void For(int count, long workPerItem, Action<int> body)
    {
        if (count * workPerItem < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            for (var i = 0; i < count; i++) body(i);
        }
        else
        {
            Parallel.For(0, count, body);
        }
    }

    private static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var va = new Vector<float>(alpha);
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (var j = 0; j < xv.Length; j++) yv[j] += va * xv[j];
            i = xv.Length * Vector<float>.Count;
        }

        for (; i < x.Length; i++) y[i] += alpha * x[i];
    }

    private static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (var j = 0; j < xv.Length; j++) yv[j] += xv[j];
            i = xv.Length * Vector<float>.Count;
        }

        for (; i < x.Length; i++) y[i] += x[i];
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (var j = 0; j < xv.Length; j++) acc += xv[j] * yv[j];
            sum = Vector.Sum(acc);
            i = xv.Length * Vector<float>.Count;
        }

        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    private static void Relu(Span<float> z)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && z.Length >= Vector<float>.Count)
        {
            var zv = MemoryMarshal.Cast<float, Vector<float>>(z);
            for (var j = 0; j < zv.Length; j++) zv[j] = Vector.Max(zv[j], Vector<float>.Zero);
            i = zv.Length * Vector<float>.Count;
        }

        for (; i < z.Length; i++) z[i] = Math.Max(z[i], 0f);
    }
}
