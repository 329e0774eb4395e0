using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.Core.Datasets;
using Serverless.Core.Features;
using Serverless.Core.Specs;
using Serverless.Core.Training;

namespace Serverless.Core.Tests.Training;

public sealed class FeaturePipelineTests
{
    private static float[][] Featurize(ModelSpec spec, TabularDataset train, TabularDataset rows)
    {
        var ml = new MLContext(seed: 1);
        var model = FeaturePipeline.Build(ml, spec, train).Fit(new TabularDataView(train));
        return model.Transform(new TabularDataView(rows)).GetColumn<VBuffer<float>>(FeaturePipeline.FeaturesColumn)
            .Select(v => v.DenseValues().ToArray()).ToArray();
    }

    private static ModelSpec Spec(TrainerKind trainer, IReadOnlyList<string>? categories) => new()
    {
        Task = ModelTask.Binary,
        Label = "y",
        Features = [new FeatureSpec("x", FeatureType.Numeric, Nullable: true), new FeatureSpec("c", FeatureType.Categorical, Categories: categories)],
        Trainer = new TrainerSpec(trainer),
    };

    private static TabularDataset Rows(float[] x, string?[] c) => new([DataColumn.Float("x", x), DataColumn.Text("c", c)]);

    [Fact]
    public void One_hot_follows_declared_category_order_and_zeroes_unknown_and_missing()
    {
        var train = Rows([1, 2, 3], ["b", "a", "c"]);
        var features = Featurize(Spec(TrainerKind.LightGbm, ["c", "a", "b"]), train, Rows([1, 1, 1, float.NaN], ["c", "b", "zzz", null]));

        Assert.Equal([1f, 1f, 0f, 0f], features[0]);
        Assert.Equal([1f, 0f, 0f, 1f], features[1]);
        Assert.Equal([1f, 0f, 0f, 0f], features[2]);
        Assert.True(float.IsNaN(features[3][0])); // trees keep NaN
        Assert.Equal([0f, 0f, 0f], features[3][1..]);
    }

    [Fact]
    public void Undeclared_categories_are_sorted_training_values()
    {
        var train = Rows([1, 2, 3, 4], ["b", null, "a", "b"]);
        var features = Featurize(Spec(TrainerKind.FastTree, null), train, Rows([0, 0], ["a", "b"]));

        Assert.Equal([0f, 1f, 0f], features[0]);
        Assert.Equal([0f, 0f, 1f], features[1]);
    }

    [Fact]
    public void Linear_pipeline_imputes_the_mean_and_scales()
    {
        var train = Rows([2, 4, float.NaN, 8], ["a", "a", "a", "a"]);
        var features = Featurize(Spec(TrainerKind.Linear, ["a"]), train, Rows([float.NaN, 8], ["a", "a"]));

        // Mean of 2, 4, 8 is 14/3; min-max (with zero kept at zero) divides by the largest magnitude, 8.
        Assert.Equal(14f / 3 / 8, features[0][0], 5);
        Assert.Equal(1f, features[1][0], 5);
    }

    [Fact]
    public void Reserved_feature_names_are_rejected()
    {
        var spec = Spec(TrainerKind.LightGbm, ["a"]) with { Features = [new FeatureSpec("Features", FeatureType.Numeric)] };

        Assert.Throws<ArgumentException>(() => FeaturePipeline.Build(new MLContext(), spec, new TabularDataset([DataColumn.Float("Features", [1])])));
    }
}
