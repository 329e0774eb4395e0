namespace Serverless.Core.Training.Mlp;

/// <summary>Adam (Kingma &amp; Ba) with bias correction over one flat parameter vector.</summary>
public sealed class AdamOptimizer(int parameterCount, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly float[] _m = new float[parameterCount];
    private readonly float[] _v = new float[parameterCount];
    private int _t;

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        _t++;
        var lr = (float)(learningRate * Math.Sqrt(1 - Math.Pow(beta2, _t)) / (1 - Math.Pow(beta1, _t)));
        float b1 = (float)beta1, b2 = (float)beta2, eps = (float)epsilon;
        for (var i = 0; i < parameters.Length; i++)
        {
            var g = gradients[i];
            _m[i] = (b1 * _m[i]) + ((1 - b1) * g);
            _v[i] = (b2 * _v[i]) + ((1 - b2) * g * g);
            parameters[i] -= lr * _m[i] / (MathF.Sqrt(_v[i]) + eps);
        }
    }
}
