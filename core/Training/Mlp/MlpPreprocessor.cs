using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Training.Mlp;

/// <summary>Imputation, standardisation and one-hot encoding learned on the training rows; the ONNX graph repeats it exactly.</summary>
public sealed class MlpPreprocessor
{
    private readonly Dictionary<string, int>[] _categoryIndex;

    public MlpPreprocessor(IReadOnlyList<MlpFeature> features)
    {
        Features = features ?? throw new ArgumentNullException(nameof(features));
        Width = features.Sum(f => f.Width);
        _categoryIndex = features.Select(f => (f.Categories ?? []).Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal)).ToArray();
    }

    public IReadOnlyList<MlpFeature> Features { get; }

    /// <summary>Network inputs per row.</summary>
    public int Width { get; }

    public static MlpPreprocessor Fit(ModelSpec spec, TabularDataset train)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(train);
        return new MlpPreprocessor(spec.Features.Select(f => f.Type == FeatureType.Categorical
            ? new MlpFeature(f.Name, f.Type, 0, 1, Categories(f, train[f.Name].TextValues))
            : Moments(f, train[f.Name].FloatValues)).ToList());
    }

    /// <summary>Row-major [rows × <see cref="Width"/>] inputs.</summary>
    public float[] Transform(TabularDataset rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.RowCount;
        var x = new float[n * Width];
        var offset = 0;
        for (var f = 0; f < Features.Count; f++)
        {
            var feature = Features[f];
            var column = rows[feature.Name];
            if (feature.Type == FeatureType.Categorical)
            {
                var texts = column.TextValues;
                var index = _categoryIndex[f];
                for (var i = 0; i < n; i++)
                {
                    if (texts[i] is { } t && index.TryGetValue(t, out var k)) x[(i * Width) + offset + k] = 1;
                }
            }
            else
            {
                // Same float operations as the graph's Where(IsNaN) → Sub → Div.
                var values = column.FloatValues;
                for (var i = 0; i < n; i++)
                {
                    var v = float.IsNaN(values[i]) ? feature.Mean : values[i];
                    x[(i * Width) + offset] = (v - feature.Mean) / feature.Std;
                }
            }

            offset += feature.Width;
        }

        return x;
    }

    private static MlpFeature Moments(FeatureSpec f, float[] values)
    {
        double sum = 0, sumSq = 0;
        var count = 0;
        foreach (var v in values)
        {
            if (float.IsNaN(v)) continue;
            sum += v;
            count++;
        }

        var mean = count == 0 ? 0 : sum / count;
        foreach (var v in values)
        {
            if (!float.IsNaN(v)) sumSq += (v - mean) * (v - mean);
        }

        var std = count == 0 ? 0 : Math.Sqrt(sumSq / count);

        // A constant column carries no signal; dividing by 1 keeps it finite.
        return new MlpFeature(f.Name, f.Type, (float)mean, std > 1e-6 ? (float)std : 1f, null);
    }

    private static string[] Categories(FeatureSpec f, string?[] values) =>
        f.Categories is { Count: > 0 } declared
            ? declared.Distinct(StringComparer.Ordinal).ToArray()
            : values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
