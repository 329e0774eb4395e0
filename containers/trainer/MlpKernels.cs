using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Serverless.Trainer;

/// <summary>
/// The dense-layer kernels, one thread per output element, each summing in a fixed order (same math as the C#
/// worker; only float rounding of the sums can differ). Loaded once per accelerator.
/// </summary>
internal sealed class MlpKernels(Accelerator accelerator)
{
    public readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> Dense =
        accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(DenseKernel);

    public readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> WeightGradients =
        accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(WeightGradientKernel);

    public readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, int> BiasGradients =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int>(BiasGradientKernel);

    public readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> InputGradients =
        accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(InputGradientKernel);

    // index = (row, unit); z[row, unit] = b[unit] + Σ_k a[row, k]·W[k, unit]; relu != 0 → max(z, 0).
    private static void DenseKernel(Index2D index, ArrayView<float> a, ArrayView<float> w, ArrayView<float> b, ArrayView<float> z, int inDim, int relu)
    {
        var outDim = (int)b.Length;
        int row = index.X, unit = index.Y;
        var sum = b[unit];
        for (var k = 0; k < inDim; k++) sum += a[(row * inDim) + k] * w[(k * outDim) + unit];
        z[(row * outDim) + unit] = relu != 0 ? XMath.Max(sum, 0f) : sum;
    }

    // index = (k, unit); dW[k, unit] = Σ_row a[row, k]·δ[row, unit].
    private static void WeightGradientKernel(Index2D index, ArrayView<float> a, ArrayView<float> delta, ArrayView<float> dw, int rows)
    {
        var inDim = (int)(a.Length / rows);
        var outDim = (int)(delta.Length / rows);
        int k = index.X, unit = index.Y;
        var sum = 0f;
        for (var row = 0; row < rows; row++) sum += a[(row * inDim) + k] * delta[(row * outDim) + unit];
        dw[(k * outDim) + unit] = sum;
    }

    // index = unit; db[unit] = Σ_row δ[row, unit].
    private static void BiasGradientKernel(Index1D unit, ArrayView<float> delta, ArrayView<float> db, int rows, int outDim)
    {
        var sum = 0f;
        for (var row = 0; row < rows; row++) sum += delta[(row * outDim) + unit];
        db[unit] = sum;
    }

    // index = (row, k); δa[row, k] = (Σ_unit δ[row, unit]·W[k, unit]) · [a[row, k] > 0].
    private static void InputGradientKernel(Index2D index, ArrayView<float> delta, ArrayView<float> w, ArrayView<float> a, ArrayView<float> next, int outDim)
    {
        var inDim = (int)(w.Length / outDim);
        int row = index.X, k = index.Y;
        var sum = 0f;
        if (a[(row * inDim) + k] > 0)
        {
            for (var unit = 0; unit < outDim; unit++) sum += delta[(row * outDim) + unit] * w[(k * outDim) + unit];
        }

        next[(row * inDim) + k] = sum;
    }
}
