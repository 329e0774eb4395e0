namespace Serverless.Core.Training.Mlp;

/// <summary>
/// The output layer's loss and its gradient, computed on the host by every compute (the output layer is
/// rows × outputs, tiny next to the hidden layers), so CPU and GPU paths report the same losses.
/// </summary>
public static class MlpLosses
{
    /// <summary>Summed loss over <paramref name="rows"/>; writes ∂loss/∂output to <paramref name="gradient"/> unless it is empty.</summary>
    public static double Compute(MlpLoss loss, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int rows, int width, Span<float> gradient)
    {
        var withGradient = !gradient.IsEmpty;
        var total = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var z = outputs.Slice(i * width, width);
            var g = withGradient ? gradient.Slice(i * width, width) : default;
            var y = targets[i];
            switch (loss)
            {
                case MlpLoss.BinaryCrossEntropy:
                    // softplus(z) − y·z, written to stay finite for large |z|.
                    total += Math.Max(z[0], 0) - (z[0] * y) + Math.Log(1 + Math.Exp(-Math.Abs(z[0])));
                    if (withGradient) g[0] = Sigmoid(z[0]) - y;
                    break;
                case MlpLoss.SoftmaxCrossEntropy:
                    var max = float.NegativeInfinity;
                    foreach (var v in z) max = Math.Max(max, v);
                    var sum = 0.0;
                    foreach (var v in z) sum += Math.Exp(v - max);
                    var target = (int)y;
                    total += Math.Log(sum) + max - z[target];
                    if (withGradient)
                    {
                        for (var k = 0; k < width; k++) g[k] = (float)(Math.Exp(z[k] - max) / sum) - (k == target ? 1f : 0f);
                    }

                    break;
                default:
                    var d = z[0] - y;
                    total += 0.5 * d * d;
                    if (withGradient) g[0] = d;
                    break;
            }
        }

        return total;
    }

    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
}
