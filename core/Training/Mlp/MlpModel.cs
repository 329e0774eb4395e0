using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Training.Mlp;

/// <summary>A fitted MLP with its preprocessing: the C# forward pass that the ONNX export must reproduce.</summary>
/// <param name="TargetMean">Regression: the training target's mean (the network predicts the standardised target).</param>
/// <param name="TargetStd">Regression: the training target's standard deviation.</param>
/// <param name="Classes">Multiclass: class labels in output order.</param>
public sealed record MlpModel(
    ModelTask Task,
    MlpPreprocessor Preprocessor,
    MlpLayout Layout,
    float[] Parameters,
    float TargetMean,
    float TargetStd,
    string[]? Classes)
{
    /// <summary>
    /// Per row: binary → [P(true)]; multiclass → class probabilities; regression → [prediction]
    /// (row-major, <see cref="OutputWidth"/> per row).
    /// </summary>
    public float[] Predict(TabularDataset rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.RowCount;
        var k = Layout.Outputs;
        var outputs = new float[n * k];
        if (n == 0) return outputs;

        using var worker = new CpuMlpCompute().CreateWorker(Layout, n);
        worker.Forward(Parameters, Preprocessor.Transform(rows), n, outputs);
        for (var i = 0; i < n; i++)
        {
            var z = outputs.AsSpan(i * k, k);
            switch (Task)
            {
                case ModelTask.Binary:
                    z[0] = MlpLosses.Sigmoid(z[0]);
                    break;
                case ModelTask.Multiclass:
                    Softmax(z);
                    break;
                default:
                    z[0] = (z[0] * TargetStd) + TargetMean;
                    break;
            }
        }

        return outputs;
    }

    public int OutputWidth => Layout.Outputs;

    private static void Softmax(Span<float> z)
    {
        var max = float.NegativeInfinity;
        foreach (var v in z) max = Math.Max(max, v);
        var sum = 0f;
        for (var j = 0; j < z.Length; j++)
        {
            z[j] = MathF.Exp(z[j] - max);
            sum += z[j];
        }

        for (var j = 0; j < z.Length; j++) z[j] /= sum;
    }
}
