using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Training;

/// <summary>
/// Churn-shaped seeded data for export tests: numerics with missing values, a boolean, low-cardinality categories and
/// one high-cardinality category (<see cref="Merchants"/>) whose levels each carry their own effect, so tree trainers
/// have a reason to split on categories (ML.NET's LightGBM does so natively above 50,000 training rows).
/// </summary>
internal static class MixedData
{
    public static readonly string[] Contracts = ["month-to-month", "one-year", "two-year"];
    public static readonly string[] Payments = ["electronic-check", "mailed-check", "bank-transfer", "credit-card"];
    public static readonly string[] Merchants = [.. Enumerable.Range(0, 60).Select(i => $"m{i:D2}")];
    public static readonly string[] Classes = ["stay", "downgrade", "leave"];

    /// <param name="trainer">Null: the spec has no trainer block (the platform's default trainer).</param>
    public static ModelSpec Spec(ModelTask task, TrainerKind? trainer, string? solver = null, int? trees = null) => new()
    {
        Task = task,
        Label = "target",
        Classes = task == ModelTask.Multiclass ? Classes : null,
        Features =
        [
            new FeatureSpec("tenure", FeatureType.Numeric),
            new FeatureSpec("charges", FeatureType.Numeric, Nullable: true),
            new FeatureSpec("autopay", FeatureType.Boolean),
            new FeatureSpec("contract", FeatureType.Categorical, Categories: Contracts),
            new FeatureSpec("payment", FeatureType.Categorical, Categories: Payments),
            new FeatureSpec("merchant", FeatureType.Categorical, Nullable: true, Categories: Merchants, UnknownCategory: UnknownCategoryPolicy.Allow),
        ],
        Trainer = trainer switch
        {
            null => new TrainerSpec(),
            TrainerKind.Linear => new TrainerSpec(TrainerKind.Linear, solver, new Dictionary<string, double> { ["maximumNumberOfIterations"] = 30 }),
            var t => new TrainerSpec(t.Value, Hyperparameters: new Dictionary<string, double> { ["numberOfTrees"] = trees ?? 20, ["numberOfLeaves"] = 16 }),
        },
        Holdout = new HoldoutSpec(0.2, 42),
    };

    public static TabularDataset Create(ModelTask task, int rows, int seed)
    {
        var rng = new Random(seed);
        var merchantEffect = Merchants.Select(_ => (rng.NextDouble() * 3) - 1.5).ToArray();
        var tenure = new float[rows];
        var charges = new float[rows];
        var autopay = new float[rows];
        var contract = new string?[rows];
        var payment = new string?[rows];
        var merchant = new string?[rows];
        var number = new float[rows];
        var text = new string?[rows];
        for (var i = 0; i < rows; i++)
        {
            var c = rng.Next(Contracts.Length);
            var p = rng.Next(Payments.Length);
            var m = rng.Next(Merchants.Length);
            tenure[i] = rng.Next(0, 73);
            charges[i] = rng.NextDouble() < 0.05 ? float.NaN : (float)(20 + (rng.NextDouble() * 100));
            autopay[i] = rng.Next(2);
            contract[i] = Contracts[c];
            payment[i] = Payments[p];
            merchant[i] = rng.NextDouble() < 0.03 ? null : Merchants[m];
            var z = (1.2 * (1 - c)) - (0.04 * (tenure[i] - 36)) + (float.IsNaN(charges[i]) ? 0 : 0.015 * (charges[i] - 70))
                - (0.4 * autopay[i]) + (p == 0 ? 0.6 : 0) + (merchant[i] is null ? 0 : merchantEffect[m]) + (0.7 * Gaussian(rng));
            number[i] = task == ModelTask.Regression ? (float)z : z > 0 ? 1 : 0;
            text[i] = z < -1 ? Classes[0] : z < 1 ? Classes[1] : Classes[2];
        }

        return new TabularDataset(
        [
            DataColumn.Float("tenure", tenure),
            DataColumn.Float("charges", charges),
            DataColumn.Float("autopay", autopay),
            DataColumn.Text("contract", contract),
            DataColumn.Text("payment", payment),
            DataColumn.Text("merchant", merchant),
            task == ModelTask.Multiclass ? DataColumn.Text("target", text) : DataColumn.Float("target", number),
        ]);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
