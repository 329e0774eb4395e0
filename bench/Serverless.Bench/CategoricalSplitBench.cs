using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Serverless.Core.Datasets;
using Serverless.Core.Features;
using Serverless.Core.Specs;
using Serverless.Core.Training;
using Serverless.Local.Demo;

namespace Serverless.Bench;

/// <summary>
/// What turning off LightGBM's native categorical splits would cost in accuracy. Above 50,000 training rows ML.NET's
/// LightGBM switches them on by itself and ML.NET's ONNX converter cannot export them (feature id −1); the platform
/// keeps them and exports them itself, because of these figures. Measured on data where categories matter most: a 250-level column with a Zipf-like frequency (many
/// rare levels) and its own effect per level, a 40-level one, a 3-level one and four numerics. Same featurization
/// (the platform's one-hot pipeline), same trainer settings (the platform's defaults), the only difference the flag.
/// Then the same on the churn sample's generator (few levels per category), the shape most first datasets have.
/// </summary>
internal static class CategoricalSplitBench
{
    public const string Mode = "categorical-split";
    private const string Area = Mode;
    private const int Rows = 200_000; // 160,000 training rows: well above the 50,000 switch
    private static readonly int[] Seeds = [1, 2, 3];

    public static IReadOnlyList<Measurement> Run(string root)
    {
        var results = new List<Measurement>();
        var churnSpec = ModelSpecValidator.Parse(File.ReadAllText(Path.Combine(root, "samples", "churn", "model.json"))).Spec
            ?? throw new InvalidOperationException("samples/churn/model.json does not parse.");
        var scenarios = new (string Name, Func<int, (ModelSpec, TabularDataset)> Create)[]
        {
            ("250-level category", Create),
            ("churn sample (≤ 4 levels)", seed => (churnSpec, DatasetContract.Validate(
                new MemoryStream(Encoding.UTF8.GetBytes(ChurnSample.GenerateCsv(Rows, seed))), "churn.csv", churnSpec, CancellationToken.None).Data!)),
        };
        foreach (var (name, create) in scenarios)
        {
            var off = new List<double>();
            var on = new List<double>();
            foreach (var seed in Seeds)
            {
                var (spec, data) = create(seed);
                var split = HoldoutSplit.Create(data.RowCount, spec.Holdout);
                var train = data.Select(split.TrainRows);
                var holdout = data.Select(split.HoldoutRows);
                foreach (var categorical in new[] { false, true })
                {
                    var (auc, seconds) = Fit(spec, train, holdout, categorical);
                    (categorical ? on : off).Add(auc);
                    Console.WriteLine($"{name}, seed {seed}, UseCategoricalSplit={categorical}: holdout AUC {auc:F5}, fit {seconds:F1} s");
                    results.Add(new Measurement(Area, $"{name}, seed {seed}: AUC, categorical splits {(categorical ? "on" : "off")}", auc, "", Note: $"{auc:F5}; fit {seconds:F1} s"));
                }
            }

            var deltas = off.Zip(on, (a, b) => a - b).ToList();
            results.Add(new Measurement(Area, $"{name}: mean AUC off / on (platform)", off.Average(), "", Note: $"on: {on.Average():F5}"));
            results.Add(new Measurement(Area, $"{name}: AUC off − on", deltas.Average(), "", Note: "per seed " + string.Join(", ", deltas.Select(d => d.ToString("+0.00000;-0.00000", System.Globalization.CultureInfo.InvariantCulture)))));
        }

        return results;
    }

    private static (double Auc, double Seconds) Fit(ModelSpec spec, TabularDataset train, TabularDataset holdout, bool categorical)
    {
        var ml = new MLContext(seed: spec.Holdout.Seed);
        // The platform's default tree settings (TrainerFactory: 100 trees, 31 leaves, learning rate 0.1, 20 per leaf).
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = spec.Label, FeatureColumnName = FeaturePipeline.FeaturesColumn, NumberOfIterations = 100, NumberOfLeaves = 31,
            LearningRate = 0.1, MinimumExampleCountPerLeaf = 20, Seed = spec.Holdout.Seed, NumberOfThreads = 1, Deterministic = true,
            UseCategoricalSplit = categorical,
        });
        var estimator = FeaturePipeline.Build(ml, spec, train).Append(trainer);
        var sw = Stopwatch.StartNew();
        var model = estimator.Fit(new TabularDataView(train, [spec.Label]));
        var seconds = sw.Elapsed.TotalSeconds;
        var scored = model.Transform(new TabularDataView(holdout, [spec.Label]));
        return (ml.BinaryClassification.Evaluate(scored, spec.Label).AreaUnderRocCurve, seconds);
    }

    private static (ModelSpec Spec, TabularDataset Data) Create(int seed)
    {
        var rng = new Random(seed);
        string[] merchants = [.. Enumerable.Range(0, 250).Select(i => $"m{i:D3}")];
        string[] regions = [.. Enumerable.Range(0, 40).Select(i => $"r{i:D2}")];
        string[] contracts = ["month-to-month", "one-year", "two-year"];
        var merchantEffect = merchants.Select(_ => Gaussian(rng)).ToArray();
        var regionEffect = regions.Select(_ => 0.5 * Gaussian(rng)).ToArray();

        // Zipf-like (1/(k+1)): a few common merchants, a long tail of rare ones.
        var weights = merchants.Select((_, k) => 1.0 / (k + 1)).ToArray();
        var cumulative = new double[weights.Length];
        var total = 0.0;
        for (var k = 0; k < weights.Length; k++) cumulative[k] = total += weights[k];

        var x = Enumerable.Range(0, 4).Select(_ => new float[Rows]).ToArray();
        var merchant = new string?[Rows];
        var region = new string?[Rows];
        var contract = new string?[Rows];
        var label = new float[Rows];
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < x.Length; j++) x[j][i] = (float)Gaussian(rng);
            var m = Array.BinarySearch(cumulative, rng.NextDouble() * total) is var b && b < 0 ? ~b : b;
            var r = rng.Next(regions.Length);
            var c = rng.Next(contracts.Length);
            merchant[i] = merchants[Math.Min(m, merchants.Length - 1)];
            region[i] = regions[r];
            contract[i] = contracts[c];
            var logit = (0.8 * x[0][i]) - (0.5 * x[1][i]) + (0.3 * x[2][i] * x[3][i]) + merchantEffect[Math.Min(m, merchants.Length - 1)] + regionEffect[r] + (0.7 * (1 - c));
            label[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
        }

        var spec = new ModelSpec
        {
            Task = ModelTask.Binary,
            Label = "label",
            Features =
            [
                .. Enumerable.Range(0, x.Length).Select(j => new FeatureSpec($"x{j}", FeatureType.Numeric)),
                new FeatureSpec("merchant", FeatureType.Categorical, Categories: merchants),
                new FeatureSpec("region", FeatureType.Categorical, Categories: regions),
                new FeatureSpec("contract", FeatureType.Categorical, Categories: contracts),
            ],
            Holdout = new HoldoutSpec(0.2, 42),
        };
        var data = new TabularDataset(
        [
            .. x.Select((v, j) => DataColumn.Float($"x{j}", v)),
            DataColumn.Text("merchant", merchant),
            DataColumn.Text("region", region),
            DataColumn.Text("contract", contract),
            DataColumn.Float("label", label),
        ]);
        return (spec, data);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
