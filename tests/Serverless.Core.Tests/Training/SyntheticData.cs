using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Training;

/// <summary>Small seeded datasets shaped like ingest output, with missing numerics and categories.</summary>
internal static class SyntheticData
{
    // Declared in non-alphabetical order so tests notice when the declared order is not kept.
    public static readonly string[] Colors = ["red", "green", "blue"];
    public static readonly string[] Classes = ["low", "mid", "high"];

    public static ModelSpec Spec(ModelTask task, TrainerKind trainer, string? solver = null, int seed = 42) => new()
    {
        Task = task,
        Label = "target",
        Classes = task == ModelTask.Multiclass ? Classes : null,
        Features =
        [
            new FeatureSpec("x1", FeatureType.Numeric, Nullable: true),
            new FeatureSpec("x2", FeatureType.Numeric),
            new FeatureSpec("flag", FeatureType.Boolean, Nullable: true),
            new FeatureSpec("color", FeatureType.Categorical, Nullable: true, Categories: Colors, UnknownCategory: UnknownCategoryPolicy.Allow),
        ],
        Trainer = new TrainerSpec(trainer, solver, trainer == TrainerKind.Linear
            ? new Dictionary<string, double> { ["maximumNumberOfIterations"] = 50 }
            : new Dictionary<string, double> { ["numberOfTrees"] = 20, ["numberOfLeaves"] = 8, ["minimumExampleCountPerLeaf"] = 5 }),
        Holdout = new HoldoutSpec(0.2, seed),
    };

    public static TabularDataset Create(ModelTask task, int rows = 2000, int seed = 1)
    {
        var rng = new Random(seed);
        var x1 = new float[rows];
        var x2 = new float[rows];
        var flag = new float[rows];
        var color = new string?[rows];
        var target = new float[rows];
        var cls = new string?[rows];
        for (var i = 0; i < rows; i++)
        {
            x1[i] = rng.NextDouble() < 0.1 ? float.NaN : (float)Gaussian(rng);
            x2[i] = (float)((rng.NextDouble() * 4) - 2);
            flag[i] = rng.NextDouble() < 0.05 ? float.NaN : rng.Next(2);
            color[i] = rng.NextDouble() < 0.05 ? null : Colors[rng.Next(Colors.Length)];
            var z = (1.5 * (float.IsNaN(x1[i]) ? 0.5 : x1[i])) - x2[i] + (0.8 * (float.IsNaN(flag[i]) ? 0 : flag[i]))
                + (color[i] == "red" ? 1 : color[i] == "blue" ? -1 : 0) + (0.5 * Gaussian(rng));
            target[i] = task == ModelTask.Regression ? (float)((3 * z) + 10) : z > 0 ? 1 : 0;
            cls[i] = z < -1 ? "low" : z < 1 ? "mid" : "high";
        }

        return new TabularDataset(
        [
            DataColumn.Float("x1", x1),
            DataColumn.Float("x2", x2),
            DataColumn.Float("flag", flag),
            DataColumn.Text("color", color),
            task == ModelTask.Multiclass ? DataColumn.Text("target", cls) : DataColumn.Float("target", target),
        ]);
    }

    /// <summary>Rows the training data rarely or never has: all-missing, unknown category, extremes.</summary>
    public static TabularDataset EdgeRows(ModelTask task) => new(
    [
        DataColumn.Float("x1", [float.NaN, float.NaN, 0.3f, 5f, -5f, float.NaN]),
        DataColumn.Float("x2", [0f, 1.5f, -1f, 2f, -2f, 0.1f]),
        DataColumn.Float("flag", [float.NaN, 1f, 0f, 1f, float.NaN, 0f]),
        DataColumn.Text("color", [null, "purple", "", "red", "PURPLE", null]),
        task == ModelTask.Multiclass
            ? DataColumn.Text("target", ["low", "mid", "high", "high", "low", "mid"])
            : DataColumn.Float("target", [0f, 1f, 0f, 1f, 0f, 1f]),
    ]);

    /// <summary>Rows of <paramref name="a"/> followed by rows of <paramref name="b"/> (same columns).</summary>
    public static TabularDataset Concat(TabularDataset a, TabularDataset b) => new(a.Columns.Select(c =>
        c.Kind == ColumnKind.Float
            ? DataColumn.Float(c.Name, [.. c.FloatValues, .. b[c.Name].FloatValues])
            : DataColumn.Text(c.Name, [.. c.TextValues, .. b[c.Name].TextValues])).ToList());

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
