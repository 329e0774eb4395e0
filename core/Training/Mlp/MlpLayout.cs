namespace Serverless.Core.Training.Mlp;

/// <summary>
/// Shape of a network: <see cref="HiddenLayers"/> ReLU layers of <see cref="HiddenUnits"/>, then a linear output
/// layer. All parameters live in one flat vector (per layer: weights [in × out] row-major, then biases [out]) so
/// the allreduce and Adam treat them as a single buffer.
/// </summary>
public sealed record MlpLayout(int Inputs, int HiddenLayers, int HiddenUnits, int Outputs, MlpLoss Loss)
{
    public int LayerCount => HiddenLayers + 1;

    public int LayerInputs(int layer) => layer == 0 ? Inputs : HiddenUnits;

    public int LayerOutputs(int layer) => layer == HiddenLayers ? Outputs : HiddenUnits;

    public int WeightOffset(int layer)
    {
        var offset = 0;
        for (var l = 0; l < layer; l++) offset += (LayerInputs(l) + 1) * LayerOutputs(l);
        return offset;
    }

    public int BiasOffset(int layer) => WeightOffset(layer) + (LayerInputs(layer) * LayerOutputs(layer));

    public int ParameterCount => WeightOffset(LayerCount);

    /// <summary>Widest activation (input, hidden or output), for sizing scratch buffers.</summary>
    public int MaxWidth => Math.Max(Inputs, Math.Max(HiddenUnits, Outputs));

    /// <summary>He-normal weights for the ReLU layers, Glorot-normal for the output layer, zero biases; a pure function of the seed.</summary>
    public float[] InitialParameters(int seed)
    {
        var p = new float[ParameterCount];
        var rng = new Random(seed);
        for (var l = 0; l < LayerCount; l++)
        {
            int fanIn = LayerInputs(l), fanOut = LayerOutputs(l);
            var sd = l == HiddenLayers ? Math.Sqrt(2.0 / (fanIn + fanOut)) : Math.Sqrt(2.0 / fanIn);
            var w = WeightOffset(l);
            for (var i = 0; i < fanIn * fanOut; i++)
            {
                p[w + i] = (float)(sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            }
        }

        return p;
    }
}
