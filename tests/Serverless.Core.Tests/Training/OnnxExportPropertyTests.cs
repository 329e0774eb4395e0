using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using Xunit.Abstractions;

namespace Serverless.Core.Tests.Training;

/// <summary>
/// Every trainer × task, over seeds and sizes on both sides of ML.NET LightGBM's 50,000-training-row switch to native
/// categorical splits: the exported graph loads in ONNX Runtime and scores within <see cref="OnnxParity.Tolerance"/>
/// of ML.NET on the holdout.
/// </summary>
public sealed class OnnxExportPropertyTests(ITestOutputHelper output)
{
    // 70,000 rows = 56,000 training rows: above the switch (at 60,000 rows it stays off).
    private static readonly (int Rows, int Seed)[] Sizes = [(500, 1), (5_000, 2), (70_000, 3)];

    public static TheoryData<TrainerKind, string?, ModelTask, int, int> Cases()
    {
        var data = new TheoryData<TrainerKind, string?, ModelTask, int, int>();
        foreach (var task in Enum.GetValues<ModelTask>())
        {
            foreach (var (kind, solver) in new (TrainerKind, string?)[] { (TrainerKind.LightGbm, null), (TrainerKind.FastTree, null), (TrainerKind.Linear, TrainerSpec.Sdca), (TrainerKind.Linear, TrainerSpec.Lbfgs) })
            {
                if (solver == TrainerSpec.Lbfgs && task == ModelTask.Regression)
                {
                    continue; // not offered (MlNetTrainerTests.Invalid_trainer_settings_are_rejected)
                }

                foreach (var (rows, seed) in Sizes)
                {
                    data.Add(kind, solver, task, rows, seed);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exported_graph_loads_and_matches_mlnet(TrainerKind kind, string? solver, ModelTask task, int rows, int seed) =>
        AssertParity(MixedData.Spec(task, kind, solver), MixedData.Create(task, rows, seed), $"{kind}/{solver ?? "-"}/{task} {rows:N0} rows seed {seed}");

    /// <summary>The default trainer (no trainer block) at the scale the platform promises.</summary>
    [Fact]
    public void Default_trainer_at_a_million_rows_exports_a_graph_that_matches_mlnet() =>
        AssertParity(MixedData.Spec(ModelTask.Binary, trainer: null), MixedData.Create(ModelTask.Binary, 1_000_000, seed: 4), "default trainer, binary, 1,000,000 rows");

    private void AssertParity(ModelSpec spec, Core.Datasets.TabularDataset data, string name)
    {
        var trained = new MlNetTrainer().Train(spec, data, CancellationToken.None);
        using var onnx = new OnnxModel(trained.Onnx); // throws if ONNX Runtime rejects the graph
        var parity = OnnxParity.Compare(spec.Task, trained.MlNetModel!, onnx, trained.Holdout);
        output.WriteLine($"{name}: fit {trained.FitTime.TotalSeconds:F1} s, max |Δ| {parity.MaxDelta:E2} over {parity.Rows:N0} holdout rows, {parity.LabelMismatches} label mismatches");
        Assert.True(parity.MaxDelta <= OnnxParity.Tolerance, $"{name}: max |Δ| {parity.MaxDelta:E2} > {OnnxParity.Tolerance:E0}");
        Assert.Equal(0, parity.LabelMismatches);
    }
}
