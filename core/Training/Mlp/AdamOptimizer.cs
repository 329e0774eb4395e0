namespace Serverless.Core.Training.Mlp;

/// <summary>Adam (Kingma &amp; Ba) with bias correction over one flat parameter vector.</summary>
public sealed class AdamOptimizer(int parameterCount, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly float[] _m = new float[parameterCount];
    private readonly float[] _v = new float[parameterCount];
    private int _t;

    /// <summary>A copy of the moments and step count, for a checkpoint.</summary>
    public AdamState State => new((float[])_m.Clone(), (float[])_v.Clone(), _t);

    public void Restore(AdamState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.M.Length != _m.Length || state.V.Length != _v.Length) throw new ArgumentException("Adam state does not match the parameter count.", nameof(state));
        state.M.CopyTo(_m, 0);
        state.V.CopyTo(_v, 0);
        _t = state.Steps;
    }

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
