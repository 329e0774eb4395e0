using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;
using Serverless.Core.Training;

namespace Serverless.Tests.Shared;

/// <summary>One small binary LightGBM model (numeric + categorical input), trained once per test run.</summary>
internal static class TinyModel
{
    public static readonly string[] Colors = ["red", "green", "blue"];

    public static readonly ModelSpec Spec = new()
    {
        Task = ModelTask.Binary,
        Label = "y",
        Features =
        [
            new FeatureSpec("x", FeatureType.Numeric),
            new FeatureSpec("color", FeatureType.Categorical, Nullable: true, Categories: Colors, UnknownCategory: UnknownCategoryPolicy.Allow),
        ],
        Trainer = new TrainerSpec(TrainerKind.LightGbm, null, new Dictionary<string, double> { ["numberOfTrees"] = 10, ["numberOfLeaves"] = 4, ["minimumExampleCountPerLeaf"] = 5 }),
        Holdout = new HoldoutSpec(0.2, 1),
    };

    private static readonly Lazy<byte[]> Trained = new(() => new MlNetTrainer().Train(Spec, Data(600, 1)).Onnx);

    public static byte[] Onnx => Trained.Value;

    /// <summary>Rows whose <c>x</c> runs from <paramref name="start"/> in steps of 0.01, so every row scores differently.</summary>
    public static TabularDataset Rows(int count, double start)
    {
        var x = new float[count];
        var color = new string?[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = (float)(start + (0.01 * i));
            color[i] = Colors[i % Colors.Length];
        }

        return new TabularDataset([DataColumn.Float("x", x), DataColumn.Text("color", color)]);
    }

    public static ModelCard Card(string model, int version = 1) => new()
    {
        Model = model,
        Version = version,
        RunId = $"run-{version}",
        CreatedAt = DateTimeOffset.UnixEpoch,
        Task = ModelTask.Binary,
        Inputs = Spec.Features,
        Trainer = TrainerKind.LightGbm,
        TrainerParameters = new Dictionary<string, string>(),
        Metrics = new Dictionary<string, double> { ["auc"] = 0.9 },
        Gate = new GateReport(true, [], new Dictionary<string, double> { ["auc"] = 0.9 }, null, null, null),
        DatasetSha256 = new string('a', 64),
        SpecSha256 = new string('b', 64),
        PlatformVersion = "test",
    };

    public static LoadedModel Loaded(string model, int version = 1) => new(Card(model, version), new OnnxModel(Onnx));

    /// <summary>Stores the spec, registers two versions of the model and makes version 1 champion.</summary>
    public static async Task RegisterAsync(PlatformStorage storage, string model)
    {
        var registry = new ModelRegistry(storage, TimeProvider.System);
        await BlobJson.UploadAsync(storage.Models.GetBlobClient(BlobLayout.SpecBlob(model)), Spec, CancellationToken.None);
        await registry.RegisterAsync(Card(model), Onnx, CancellationToken.None);
        await registry.RegisterAsync(Card(model) with { RunId = "run-2" }, Onnx, CancellationToken.None);
        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "test", CancellationToken.None);
    }

    /// <summary>Version 1 as champion and version 2 (or <paramref name="candidate"/>) registered beside it: a release's starting point.</summary>
    public static async Task ChampionAndCandidateAsync(ModelRegistry registry, string model, ModelCard? candidate = null)
    {
        await registry.RegisterAsync(Card(model, 1), Onnx, CancellationToken.None);
        await registry.RegisterAsync(candidate ?? Card(model, 2), Onnx, CancellationToken.None);
        await registry.SetAliasAsync(model, ModelAliases.Champion, 1, "test", CancellationToken.None);
    }

    private static TabularDataset Data(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows];
        var color = new string?[rows];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            x[i] = (float)((rng.NextDouble() * 4) - 2);
            color[i] = Colors[rng.Next(Colors.Length)];
            y[i] = x[i] + (color[i] == "red" ? 0.7 : 0) + ((rng.NextDouble() - 0.5) * 0.8) > 0 ? 1 : 0;
        }

        return new TabularDataset([DataColumn.Float("x", x), DataColumn.Text("color", color), DataColumn.Float("y", y)]);
    }
}
