using Serverless.Core.Datasets;
using Serverless.Core.Explanations;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Tests.Training;
using Serverless.Core.Training;

namespace Serverless.Core.Tests.Explanations;

/// <summary>Permutation importance: large for the column the label depends on, about zero for pure noise, reproducible.</summary>
public sealed class PermutationImportanceTests
{
    [Theory]
    [InlineData(ModelTask.Binary, TrainerKind.LightGbm, "auc")]
    [InlineData(ModelTask.Regression, TrainerKind.Linear, "rmse")]
    [InlineData(ModelTask.Multiclass, TrainerKind.FastTree, "logLoss")]
    public void Signal_columns_matter_noise_does_not_and_figures_repeat(ModelTask task, TrainerKind trainer, string metric)
    {
        var spec = MixedData.Spec(task, trainer, trainer == TrainerKind.Linear ? TrainerSpec.Sdca : null);
        spec = spec with { Features = [.. spec.Features, new FeatureSpec("noise", FeatureType.Numeric)] };
        var data = MixedData.Create(task, 4_000, seed: 3);
        var rng = new Random(9);
        data = new TabularDataset([.. data.Columns, DataColumn.Float("noise", [.. Enumerable.Range(0, data.RowCount).Select(_ => (float)rng.NextDouble())])]);
        var trained = new MlNetTrainer().Train(spec, data, CancellationToken.None);
        using var model = new OnnxModel(trained.Onnx, task, trained.ClassLabels);

        var importance = PermutationImportance.Measure(model, spec, trained.Holdout, trained.ClassLabels);
        var again = PermutationImportance.Measure(model, spec, trained.Holdout, trained.ClassLabels);

        Assert.Equal(metric, PermutationImportance.MetricFor(spec with { Gates = new GateSpec() }));
        Assert.Equal(spec.Features.Select(f => f.Name), importance.Keys);
        Assert.Equal(importance, again);

        // tenure drives every label of MixedData (0.04 per month over 0–72 months); noise drives none.
        Assert.True(importance["tenure"] > 10 * Math.Abs(importance["noise"]), $"tenure {importance["tenure"]}, noise {importance["noise"]}");
        Assert.True(Math.Abs(importance["noise"]) < 0.02, $"noise {importance["noise"]}");
    }
}
