using Serverless.Core.Explanations;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Tests.Training;
using Serverless.Core.Training;

namespace Serverless.Core.Tests.Explanations;

/// <summary>
/// TreeSHAP on the platform's own exports (ML.NET LightGBM / FastTree → ONNX): additivity to 1e-6 on every holdout
/// row and output, the tree sums equal to ONNX Runtime's margins, attributions per original input column (one-hot
/// groups and category-set features summed), and covers from routing the training rows.
/// </summary>
public sealed class TreeExplainerTests
{
    private const double Additivity = 1e-6;

    [Theory]
    [InlineData(ModelTask.Binary, TrainerKind.LightGbm, 3_000)]
    [InlineData(ModelTask.Binary, TrainerKind.FastTree, 3_000)]
    [InlineData(ModelTask.Regression, TrainerKind.LightGbm, 3_000)]
    [InlineData(ModelTask.Regression, TrainerKind.FastTree, 3_000)]
    [InlineData(ModelTask.Multiclass, TrainerKind.LightGbm, 3_000)]
    [InlineData(ModelTask.Multiclass, TrainerKind.FastTree, 3_000)]
    [InlineData(ModelTask.Binary, TrainerKind.LightGbm, 70_000)] // native categorical splits → set features
    public void Attributions_add_up_to_the_margin_onnx_runtime_computes(ModelTask task, TrainerKind trainer, int rows)
    {
        var spec = MixedData.Spec(task, trainer);
        var data = MixedData.Create(task, rows, seed: 5);
        var trained = new MlNetTrainer().Train(spec, data, CancellationToken.None);
        var training = data.Select(HoldoutSplit.Create(data.RowCount, spec.Holdout).TrainRows);
        var holdout = trained.Holdout.Select([.. Enumerable.Range(0, Math.Min(300, trained.Holdout.RowCount))]);

        var artifact = TreeExplainer.Fit(trained.Onnx, training, holdout, trained.ClassLabels);
        using var explainer = TreeExplainer.Load(trained.Onnx, artifact, trained.ClassLabels);
        var explanations = explainer.Explain(holdout, out var runtime);

        Assert.Equal(spec.Features.Select(f => f.Name), explainer.Columns);
        // Covers come from every training row up to the cap, else from an evenly spaced sample of that many.
        Assert.All(artifact.Covers.SelectMany(o => o), c => Assert.Equal(Math.Min(training.RowCount, TreeExplainer.MaxCoverRows), c[0]));
        Assert.Equal(task == ModelTask.Multiclass ? 3 : 1, explainer.ExpectedValues.Count);
        for (var r = 0; r < explanations.Count; r++)
        {
            for (var k = 0; k < explanations[r].Outputs.Count; k++)
            {
                var o = explanations[r].Outputs[k];
                Assert.Equal(spec.Features.Select(f => f.Name), o.Attributions.Keys);
                var sum = o.ExpectedValue + o.Attributions.Values.Sum();
                Assert.True(Math.Abs(sum - o.Margin) <= Additivity, $"row {r} output {k}: E + Σφ = {sum:R}, margin {o.Margin:R}");

                // ONNX Runtime sums the trees in single precision.
                Assert.True(Math.Abs(o.Margin - runtime[r][k]) <= 1e-4 * (1 + Math.Abs(o.Margin)), $"row {r} output {k}: trees {o.Margin:R}, ONNX Runtime {runtime[r][k]:R}");
            }
        }

        // Global importance: every column measured; the strongest signal (tenure) carries weight.
        Assert.Equal(spec.Features.Select(f => f.Name).Order(), artifact.GlobalImportance!.Keys.Order());
        Assert.True(artifact.GlobalImportance["tenure"] > 0);
        Assert.Equal(holdout.RowCount, artifact.ImportanceRows);

        if (task == ModelTask.Multiclass)
        {
            Assert.Equal(MixedData.Classes, explanations[0].Outputs.Select(o => o.Class));
        }

        if (task == ModelTask.Binary)
        {
            // The stated link reproduces the served probability from the margin.
            Assert.Equal(Links.Logit, explainer.Link);
            using var onnx = new OnnxModel(trained.Onnx);
            var served = onnx.Predict(holdout);
            for (var r = 0; r < explanations.Count; r++)
            {
                Assert.Equal(served[r].Score!.Value, explainer.Calibration!.Probability(explanations[r].Outputs[0].Margin), 1e-5);
            }
        }
        else
        {
            Assert.Null(explainer.Calibration);
            Assert.Equal(task == ModelTask.Multiclass ? Links.PerClass : Links.Identity, explainer.Link);
        }
    }

    [Fact]
    public void Category_set_features_are_attributed_to_their_column()
    {
        var spec = MixedData.Spec(ModelTask.Binary, TrainerKind.LightGbm);
        var trained = new MlNetTrainer().Train(spec, MixedData.Create(ModelTask.Binary, 70_000, seed: 5), CancellationToken.None);
        var graph = TreeEnsembleGraph.Read(trained.Onnx);
        var output = graph.Outputs.Single();
        var merchant = graph.Columns.ToList().IndexOf("merchant");

        // Slots past the FeatureVectorizer's (3 numeric + 3 + 4 + 60 one-hot) are category sets, all of merchant here.
        var setFeatures = output.FeatureColumns.Skip(70).ToList();
        Assert.NotEmpty(setFeatures);
        Assert.Equal(3 + 3 + 4 + 60 + setFeatures.Count, output.FeatureColumns.Length);
        Assert.Equal(Enumerable.Range(0, 3), output.FeatureColumns.Take(3));
        Assert.All(output.FeatureColumns.Skip(10).Take(60), c => Assert.Equal(merchant, c));
        Assert.Contains(output.Trees, t => t.Feature.Any(f => f >= 70));
    }

    [Fact]
    public void Covers_for_other_model_bytes_are_refused()
    {
        var spec = MixedData.Spec(ModelTask.Regression, TrainerKind.LightGbm, trees: 3);
        var data = MixedData.Create(ModelTask.Regression, 1_000, seed: 5);
        var trained = new MlNetTrainer().Train(spec, data, CancellationToken.None);
        var artifact = TreeExplainer.Fit(trained.Onnx, data, null);
        var other = new MlNetTrainer().Train(spec with { Holdout = new HoldoutSpec(0.3, 7) }, data, CancellationToken.None);

        var e = Assert.Throws<InvalidDataException>(() => TreeExplainer.Load(other.Onnx, artifact, null));
        Assert.Contains("explainer.json was built for model SHA-256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_trees_is_not_explained()
    {
        var spec = MixedData.Spec(ModelTask.Binary, TrainerKind.Linear, TrainerSpec.Sdca);
        var trained = new MlNetTrainer().Train(spec, MixedData.Create(ModelTask.Binary, 1_000, seed: 5), CancellationToken.None);

        var e = Assert.Throws<NotSupportedException>(() => TreeEnsembleGraph.Read(trained.Onnx));
        Assert.Contains("no tree ensemble", e.Message, StringComparison.Ordinal);
    }
}
