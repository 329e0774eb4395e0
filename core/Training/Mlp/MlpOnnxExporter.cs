using Serverless.Core.Onnx;
using Serverless.Core.Specs;
using Serverless.Core.Training.Onnx;

namespace Serverless.Core.Training.Mlp;

/// <summary>
/// Writes a fitted <see cref="MlpModel"/> as ONNX with its preprocessing inside, taking the same raw inputs as the
/// tree models (one [N,1] tensor per feature: float for numeric/boolean, string for categorical):
/// <code>
/// numeric x     → IsNaN → Where(nan, mean, x) → Sub(mean) → Div(std)      [N,1]
/// categorical s → ai.onnx.ml.OneHotEncoder(cats, zeros=1) → Flatten(1)   [N,K] (unknown/missing → zeros)
/// Concat(axis=1) → (MatMul → Add → Relu) × hidden → MatMul → Add = logits
/// binary:     Score = logits, Probability = Sigmoid, PredictedLabel = Score &gt; 0 (bool)
/// multiclass: Score = Softmax(axis=1), PredictedLabel = LabelEncoder(ArgMax) (string)
/// regression: Score = logits · std + mean
/// </code>
/// </summary>
public static class MlpOnnxExporter
{
    public const long Opset = 17;
    public const long MlOpset = 3;

    public static byte[] Export(MlpModel model, ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        var g = new OnnxGraphBuilder("serverless_mlp");
        List<string> parts = [];
        for (var i = 0; i < model.Preprocessor.Features.Count; i++)
        {
            var f = model.Preprocessor.Features[i];
            var p = $"pre{i}";
            if (f.Type == FeatureType.Categorical)
            {
                g.Input(f.Name, OnnxGraphBuilder.String, null, 1);

                // No categories seen: the feature contributes no columns (its input is still accepted).
                if (f.Categories!.Count == 0) continue;
                var hot = g.Node("OneHotEncoder", [f.Name], $"{p}_onehot", OnnxGraphBuilder.MlDomain,
                    OnnxAttribute.Strings("cats_strings", f.Categories), OnnxAttribute.Int("zeros", 1));
                parts.Add(g.Node("Flatten", [hot], $"{p}_encoded", null, OnnxAttribute.Int("axis", 1)));
            }
            else
            {
                g.Input(f.Name, OnnxGraphBuilder.Float, null, 1);
                var mean = g.Initializer($"{p}_mean", [f.Mean], 1);
                var std = g.Initializer($"{p}_std", [f.Std], 1);
                var nan = g.Node("IsNaN", [f.Name], $"{p}_isnan");
                var imputed = g.Node("Where", [nan, mean, f.Name], $"{p}_imputed");
                var centred = g.Node("Sub", [imputed, mean], $"{p}_centred");
                parts.Add(g.Node("Div", [centred, std], $"{p}_encoded"));
            }
        }

        var h = g.Node("Concat", [.. parts], "features", null, OnnxAttribute.Int("axis", 1));
        var layout = model.Layout;
        for (var l = 0; l < layout.LayerCount; l++)
        {
            int inDim = layout.LayerInputs(l), outDim = layout.LayerOutputs(l);
            var w = g.Initializer($"layer{l}_weight", model.Parameters.AsSpan(layout.WeightOffset(l), inDim * outDim).ToArray(), inDim, outDim);
            var b = g.Initializer($"layer{l}_bias", model.Parameters.AsSpan(layout.BiasOffset(l), outDim).ToArray(), outDim);
            var last = l == layout.HiddenLayers;
            var product = g.Node("MatMul", [h, w], $"layer{l}_matmul");
            var z = g.Node("Add", [product, b], last && spec.Task == ModelTask.Binary ? "Score" : $"layer{l}_linear");
            h = last ? z : g.Node("Relu", [z], $"layer{l}_relu");
        }

        switch (spec.Task)
        {
            case ModelTask.Binary:
                var zero = g.Initializer("zero", [0f], 1);
                g.Node("Sigmoid", [h], "Probability");
                g.Node("Greater", [h, zero], "PredictedLabel");
                g.Output("PredictedLabel", OnnxGraphBuilder.Bool, null, 1);
                g.Output("Score", OnnxGraphBuilder.Float, null, 1);
                g.Output("Probability", OnnxGraphBuilder.Float, null, 1);
                break;
            case ModelTask.Multiclass:
                var classes = model.Classes!;
                var probs = g.Node("Softmax", [h], "Score", null, OnnxAttribute.Int("axis", 1));
                var best = g.Node("ArgMax", [probs], "best_class", null, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
                g.Node("LabelEncoder", [best], "PredictedLabel", OnnxGraphBuilder.MlDomain,
                    OnnxAttribute.Ints("keys_int64s", Enumerable.Range(0, classes.Length).Select(i => (long)i)),
                    OnnxAttribute.Strings("values_strings", classes),
                    OnnxAttribute.String("default_string", string.Empty));
                g.Output("PredictedLabel", OnnxGraphBuilder.String, [null]);
                g.Output("Score", OnnxGraphBuilder.Float, null, classes.Length);
                break;
            default:
                var scale = g.Initializer("target_std", [model.TargetStd], 1);
                var shift = g.Initializer("target_mean", [model.TargetMean], 1);
                var scaled = g.Node("Mul", [h, scale], "target_scaled");
                g.Node("Add", [scaled, shift], "Score");
                g.Output("Score", OnnxGraphBuilder.Float, null, 1);
                break;
        }

        return g.ToModel("serverless-mlp", Opset, MlOpset);
    }
}
