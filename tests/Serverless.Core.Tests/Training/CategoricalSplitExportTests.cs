using Serverless.Core.Onnx;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using Serverless.Core.Training.Onnx;

namespace Serverless.Core.Tests.Training;

/// <summary>
/// Above 50,000 training rows ML.NET's LightGBM splits natively on categories, and ML.NET's ONNX converter writes those
/// nodes with feature id -1 (ONNX Runtime refused the graph: the default trainer failed from about 70,000 rows). The
/// trainer rewrites them; <see cref="OnnxExportPropertyTests"/> checks the scores, this checks the rewrite happened.
/// </summary>
public sealed class CategoricalSplitExportTests
{
    [Theory]
    [InlineData(ModelTask.Binary, 1)]
    [InlineData(ModelTask.Regression, 1)]
    [InlineData(ModelTask.Multiclass, 3)]
    public void Native_categorical_splits_are_exported_as_set_features(ModelTask task, int ensembles)
    {
        var spec = MixedData.Spec(task, TrainerKind.LightGbm);
        var trained = new MlNetTrainer().Train(spec, MixedData.Create(task, 70_000, seed: 5), CancellationToken.None);

        var graph = ProtoMessage.Parse(trained.Onnx).Messages(7).Single();
        var nodes = graph.Messages(1).ToList();
        var trees = nodes.Where(n => n.String(4) == "TreeEnsembleRegressor").ToList();
        Assert.Equal(ensembles, trees.Count);
        Assert.All(trees, t =>
        {
            var featureIds = t.Messages(5).Single(a => a.String(1) == "nodes_featureids").Int64s(8);
            Assert.DoesNotContain(featureIds, id => id < 0);
        });

        // The categorical splits exist (the case this guards) and read the set features after the original ones.
        var rewritten = nodes.Where(n => n.String(4) == "Gather" && n.String(2)!.StartsWith("__catsplit", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rewritten);
        Assert.Contains(trees, t => t.Strings(1).First().StartsWith("__catsplit", StringComparison.Ordinal));

        using var onnx = new OnnxModel(trained.Onnx);
        var parity = OnnxParity.Compare(task, trained.MlNetModel!, onnx, trained.Holdout);
        Assert.True(parity.MaxDelta <= OnnxParity.Tolerance, $"max |Δ| {parity.MaxDelta:E2}");
    }

    [Fact]
    public void Below_the_switch_the_graph_is_left_as_exported()
    {
        var trained = new MlNetTrainer().Train(MixedData.Spec(ModelTask.Binary, TrainerKind.LightGbm), MixedData.Create(ModelTask.Binary, 5_000, seed: 5), CancellationToken.None);

        Assert.DoesNotContain(ProtoMessage.Parse(trained.Onnx).Messages(7).Single().Messages(1), n => n.String(2)!.StartsWith("__catsplit", StringComparison.Ordinal));
    }
}
