using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Features;

/// <summary>
/// Builds the ML.NET preprocessing chain for a spec. Every step is ONNX-exportable, so the exported graph takes raw
/// feature values (one input per feature) and needs no preprocessing outside it.
/// </summary>
public static class FeaturePipeline
{
    /// <summary>The assembled feature vector the trainer reads.</summary>
    public const string FeaturesColumn = "Features";

    /// <summary>Column names the pipeline or the trainers create; a feature may not use them.</summary>
    public static readonly IReadOnlySet<string> ReservedNames =
        new HashSet<string>(StringComparer.Ordinal) { FeaturesColumn, "Label", "Score", "Probability", "PredictedLabel" };

    private const string ImputedPrefix = "__imputed.";
    private const string OneHotPrefix = "__onehot.";

    /// <param name="ml">The training context.</param>
    /// <param name="spec">Features and trainer family.</param>
    /// <param name="training">Training rows: the category set of a categorical feature without declared categories.</param>
    public static IEstimator<ITransformer> Build(MLContext ml, ModelSpec spec, TabularDataset training)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(training);
        if (spec.Features.Count == 0)
        {
            throw new ArgumentException("A model needs at least one feature.", nameof(spec));
        }

        // Trees route NaN natively (ML.NET and the ONNX tree ensemble agree); linear models need a value.
        var linear = spec.Trainer.Type == TrainerKind.Linear;
        var imputations = new List<InputOutputColumnPair>();
        var parts = new List<string>();
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();

        foreach (var f in spec.Features)
        {
            if (ReservedNames.Contains(f.Name) || f.Name.StartsWith("__", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Feature name '{f.Name}' is reserved.", nameof(spec));
            }

            if (f.Type == FeatureType.Categorical)
            {
                // Explicit key data fixes the slot order (spec order, else sorted) so the encoding is stable across
                // retrains; values outside it (unknown, or missing = empty) map to all zeros.
                var keys = CategoryKeys(f, training);
                var keyData = new TabularDataView(new TabularDataset([DataColumn.Text(f.Name, keys)]));
                var output = OneHotPrefix + f.Name;
                chain = chain.Append(ml.Transforms.Categorical.OneHotEncoding(
                    output, f.Name, OneHotEncodingEstimator.OutputKind.Indicator, keyData: keyData));
                parts.Add(output);
            }
            else if (linear)
            {
                var output = ImputedPrefix + f.Name;
                imputations.Add(new InputOutputColumnPair(output, f.Name));
                parts.Add(output);
            }
            else
            {
                parts.Add(f.Name);
            }
        }

        if (imputations.Count > 0)
        {
            chain = chain.Append(ml.Transforms.ReplaceMissingValues(
                imputations.ToArray(), MissingValueReplacingEstimator.ReplacementMode.Mean));
        }

        chain = chain.Append(ml.Transforms.Concatenate(FeaturesColumn, parts.ToArray()));

        // Linear solvers converge badly on unscaled inputs; min-max keeps one-hot slots at 0/1.
        return linear ? chain.Append(ml.Transforms.NormalizeMinMax(FeaturesColumn)) : chain;
    }

    private static string?[] CategoryKeys(FeatureSpec feature, TabularDataset training)
    {
        if (feature.Categories is { Count: > 0 } declared)
        {
            return declared.Distinct(StringComparer.Ordinal).ToArray<string?>();
        }

        var seen = training[feature.Name].TextValues
            .Where(v => !string.IsNullOrEmpty(v))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return seen.Length > 0
            ? seen
            : throw new ArgumentException($"Categorical feature '{feature.Name}' has no declared categories and no values.");
    }
}
