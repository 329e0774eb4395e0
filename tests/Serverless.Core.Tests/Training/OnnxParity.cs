using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using Serverless.Tests.Shared;
using Serverless.Core.Features;

namespace Serverless.Core.Tests.Training;

/// <summary>
/// Scores the same rows with a trained ML.NET chain and its exported ONNX graph (in ONNX Runtime) and compares.
/// Wider than <see cref="ScoreAssert.Tolerance"/>: these are two implementations with their own float paths, not one
/// runtime on two batch shapes.
/// Tolerance: absolute 1e-5 on probabilities (binary, multiclass); on regression scores 1e-5 relative to
/// max(1, |score|), since both sides sum float trees whose magnitudes follow the label's scale.
/// </summary>
internal static class OnnxParity
{
    public const double Tolerance = 1e-5;

    /// <summary>The largest deviation in units of <see cref="Tolerance"/>'s scale, and how many predicted labels differ
    /// on rows that are not within the tolerance of a tie (where either side may round either way).</summary>
    public sealed record Result(double MaxDelta, int LabelMismatches, int Rows);

    public static Result Compare(ModelTask task, ITransformer mlnetModel, OnnxModel onnx, TabularDataset rows)
    {
        var ort = onnx.Predict(rows);
        var mlnet = mlnetModel.Transform(new TabularDataView(rows));
        switch (task)
        {
            case ModelTask.Binary:
            {
                var expected = mlnet.GetColumn<float>("Probability").ToArray();
                var labels = mlnet.GetColumn<bool>("PredictedLabel").ToArray();
                var actual = ort.Select(r => r.Score!.Value).ToArray();
                var mismatches = Enumerable.Range(0, expected.Length)
                    .Count(i => Math.Abs(expected[i] - 0.5) > Tolerance && (labels[i] ? "true" : "false") != ort[i].Label);
                return new(MaxDelta(expected, actual, relative: false), mismatches, expected.Length);
            }

            case ModelTask.Multiclass:
            {
                var expected = mlnet.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
                var labels = mlnet.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToArray();
                var mismatches = Enumerable.Range(0, expected.Length)
                    .Count(i => ScoreAssert.TopMargin(expected[i]) > Tolerance && labels[i] != ort[i].Label);
                return new(MaxDelta([.. expected.SelectMany(v => v)], [.. ort.SelectMany(r => r.Probabilities!)], relative: false), mismatches, expected.Length);
            }

            default:
                return new(MaxDelta(mlnet.GetColumn<float>("Score").ToArray(), [.. ort.Select(r => r.Score!.Value)], relative: true), 0, rows.RowCount);
        }
    }

    private static double MaxDelta(float[] expected, float[] actual, bool relative)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"ML.NET scored {expected.Length} values, ONNX Runtime {actual.Length}.");
        }

        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a) / (relative ? Math.Max(1, Math.Abs((double)e)) : 1)).DefaultIfEmpty().Max();
    }
}
