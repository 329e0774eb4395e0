using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Explanations;

/// <summary>
/// Integrated gradients (Sundararajan et al. 2017) for the platform's MLP, per raw input column, from the baseline of
/// <see cref="GradientExplainerArtifact"/> to the row along a straight line, trapezoid rule over <see cref="Steps"/>
/// intervals. Gradients are analytic (backpropagation through the stored weights, in double precision): exact at every
/// path point, where finite differences through ONNX Runtime would trade step-size error against float32 cancellation
/// and cannot move a categorical input, which the graph takes as a string. Standardisation and one-hot encoding are
/// affine, so the path is straight in network-input space too and a column's attribution is the sum over its inputs.
/// Attributions explain the margin: the logit (binary), each class's logit (multiclass), the prediction (regression);
/// the only approximation is the quadrature, whose error shows as the completeness gap.
/// </summary>
public sealed class IntegratedGradients
{
    public const string Method = "integratedGradients";

    public const int DefaultSteps = 50;

    private readonly GradientExplainerArtifact _a;
    private readonly double[] _p;
    private readonly int _width;
    private readonly double _scale;

    public IntegratedGradients(GradientExplainerArtifact artifact, int steps = DefaultSteps)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        _a = artifact;
        Steps = steps;
        _p = [.. artifact.Parameters.Select(v => (double)v)];
        _width = artifact.Features.Sum(f => f.Width);
        _scale = artifact.Task == ModelTask.Regression ? artifact.TargetStd : 1;
        var expected = Enumerable.Range(0, LayerCount).Sum(l => (In(l) + 1) * Out(l));
        if (_p.Length != expected)
        {
            throw new ArgumentException($"The artifact holds {_p.Length} parameters; its shape needs {expected}.", nameof(artifact));
        }

        Baseline = Encode(null, 0);
    }

    public int Steps { get; }

    /// <summary>How a margin becomes the prediction (<see cref="Links"/>).</summary>
    public string Link => _a.Task switch
    {
        ModelTask.Binary => Links.Logit,
        ModelTask.Multiclass => Links.PerClass,
        _ => Links.Identity,
    };

    /// <summary>Binary: the network's probability is the plain sigmoid of the margin.</summary>
    public PlattCalibration? Calibration => _a.Task == ModelTask.Binary ? new PlattCalibration(1, 0) : null;

    /// <summary>The baseline in network-input space.</summary>
    public double[] Baseline { get; }

    public IReadOnlyList<Explanation> Explain(TabularDataset rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new Explanation[rows.RowCount];
        for (var i = 0; i < rows.RowCount; i++) result[i] = Explain(Encode(rows, i));
        return result;
    }

    /// <summary>Explains one row given in network-input space.</summary>
    public Explanation Explain(double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != _width) throw new ArgumentException($"Expected {_width} network inputs; got {x.Length}.", nameof(x));
        var k = _a.Outputs;
        var integral = new double[k * _width];
        var point = new double[_width];
        var gradient = new double[_width];
        for (var s = 0; s <= Steps; s++)
        {
            var alpha = (double)s / Steps;
            var weight = (s == 0 || s == Steps ? 0.5 : 1.0) / Steps;
            for (var j = 0; j < _width; j++) point[j] = Baseline[j] + (alpha * (x[j] - Baseline[j]));
            var activations = Forward(point);
            for (var o = 0; o < k; o++)
            {
                Backward(activations, o, gradient);
                for (var j = 0; j < _width; j++) integral[(o * _width) + j] += weight * gradient[j];
            }
        }

        var atX = Forward(x)[^1];
        var atBaseline = Forward(Baseline)[^1];
        var outputs = new OutputExplanation[k];
        for (var o = 0; o < k; o++)
        {
            var attributions = new Dictionary<string, double>(StringComparer.Ordinal);
            var offset = 0;
            var sum = 0.0;
            foreach (var feature in _a.Features)
            {
                var phi = 0.0;
                for (var j = offset; j < offset + feature.Width; j++) phi += (x[j] - Baseline[j]) * integral[(o * _width) + j] * _scale;
                attributions[feature.Name] = phi;
                sum += phi;
                offset += feature.Width;
            }

            double margin = Margin(atX[o]), expected = Margin(atBaseline[o]);
            outputs[o] = new OutputExplanation(_a.Task == ModelTask.Multiclass ? _a.Classes?[o] : null, margin, expected, attributions)
            {
                CompletenessGap = sum - (margin - expected),
            };
        }

        return new Explanation(outputs);
    }

    /// <summary>Network inputs for row <paramref name="row"/> of <paramref name="rows"/>; null rows: the baseline.</summary>
    public double[] Encode(TabularDataset? rows, int row)
    {
        var x = new double[_width];
        var offset = 0;
        foreach (var f in _a.Features)
        {
            if (f.Type == FeatureType.Categorical)
            {
                var value = rows is null ? f.BaselineCategory : rows[f.Name].TextValues[row];
                var k = value is null ? -1 : IndexOf(f.Categories!, value);
                if (k >= 0) x[offset + k] = 1;
            }
            else
            {
                // The same float operations as the preprocessing (and the ONNX graph); the baseline, the mean, is 0.
                var v = rows is null ? f.Mean : rows[f.Name].FloatValues[row];
                if (float.IsNaN(v)) v = f.Mean;
                x[offset] = (v - f.Mean) / f.Std;
            }

            offset += f.Width;
        }

        return x;
    }

    private double Margin(double output) => _a.Task == ModelTask.Regression ? (output * _a.TargetStd) + _a.TargetMean : output;

    private int LayerCount => _a.HiddenLayers + 1;

    private int In(int layer) => layer == 0 ? _width : _a.HiddenUnits;

    private int Out(int layer) => layer == _a.HiddenLayers ? _a.Outputs : _a.HiddenUnits;

    private int WeightOffset(int layer)
    {
        var offset = 0;
        for (var l = 0; l < layer; l++) offset += (In(l) + 1) * Out(l);
        return offset;
    }

    /// <summary>Activations per layer, the input first; ReLU applied to hidden layers, the last layer linear.</summary>
    private double[][] Forward(double[] x)
    {
        var layers = new double[LayerCount + 1][];
        layers[0] = x;
        for (var l = 0; l < LayerCount; l++)
        {
            int inDim = In(l), outDim = Out(l), w = WeightOffset(l), b = w + (inDim * outDim);
            var z = new double[outDim];
            for (var o = 0; o < outDim; o++) z[o] = _p[b + o];
            var a = layers[l];
            for (var i = 0; i < inDim; i++)
            {
                if (a[i] == 0) continue;
                for (var o = 0; o < outDim; o++) z[o] += a[i] * _p[w + (i * outDim) + o];
            }

            if (l < _a.HiddenLayers)
            {
                for (var o = 0; o < outDim; o++) z[o] = Math.Max(z[o], 0);
            }

            layers[l + 1] = z;
        }

        return layers;
    }

    /// <summary>∂ output[o] / ∂ input, by backpropagation (ReLU's derivative taken as 0 at 0).</summary>
    private void Backward(double[][] layers, int o, double[] gradient)
    {
        var delta = new double[_a.Outputs];
        delta[o] = 1;
        for (var l = LayerCount - 1; l >= 0; l--)
        {
            int inDim = In(l), outDim = Out(l), w = WeightOffset(l);
            var next = l == 0 ? gradient : new double[inDim];
            for (var i = 0; i < inDim; i++)
            {
                var g = 0.0;
                if (l == 0 || layers[l][i] > 0)
                {
                    for (var j = 0; j < outDim; j++) g += delta[j] * _p[w + (i * outDim) + j];
                }

                next[i] = g;
            }

            delta = next;
        }
    }

    private static int IndexOf(IReadOnlyList<string> categories, string value)
    {
        for (var i = 0; i < categories.Count; i++)
        {
            if (string.Equals(categories[i], value, StringComparison.Ordinal)) return i;
        }

        return -1;
    }
}
