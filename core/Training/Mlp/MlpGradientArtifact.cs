using Serverless.Core.Datasets;
using Serverless.Core.Explanations;
using Serverless.Core.Registry;
using Serverless.Core.Specs;

namespace Serverless.Core.Training.Mlp;

/// <summary>Builds an MLP's integrated-gradients artifact: its weights and preprocessing, and the baseline from the training rows.</summary>
public static class MlpGradientArtifact
{
    /// <param name="train">The training rows: numeric baselines are the preprocessing's means (taken over them), categorical ones their most frequent value.</param>
    public static GradientExplainerArtifact Build(MlpModel model, byte[] onnx, TabularDataset train)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        return new GradientExplainerArtifact
        {
            ModelSha256 = ModelIntegrity.Sha256(onnx),
            Task = model.Task,
            Features = [.. model.Preprocessor.Features.Select(f => new GradientFeature(
                f.Name, f.Type, f.Mean, f.Std, f.Categories,
                f.Type == FeatureType.Categorical ? MostFrequent(train[f.Name].TextValues, f.Categories!) : null))],
            HiddenLayers = model.Layout.HiddenLayers,
            HiddenUnits = model.Layout.HiddenUnits,
            Outputs = model.Layout.Outputs,
            Parameters = model.Parameters,
            TargetMean = model.TargetMean,
            TargetStd = model.TargetStd,
            Classes = model.Classes,
        };
    }

    /// <summary>The most frequent known category (ties: the first in category order); null when none occurs.</summary>
    private static string? MostFrequent(string?[] values, IReadOnlyList<string> categories)
    {
        var counts = categories.ToDictionary(c => c, _ => 0, StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (v is not null && counts.TryGetValue(v, out var n)) counts[v] = n + 1;
        }

        var best = categories.Select(c => (Category: c, Count: counts[c])).Where(c => c.Count > 0).MaxBy(c => c.Count);
        return best.Category;
    }
}
