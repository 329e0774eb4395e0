using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Specs;

public class MlpSpecValidatorTests
{
    private static ModelSpec Mlp(IReadOnlyDictionary<string, double>? hyperparameters = null, string? solver = null, string? compute = null, TimeSpan? timeout = null) => new()
    {
        Task = ModelTask.Binary,
        Label = "churned",
        Features = [new FeatureSpec("age", FeatureType.Numeric)],
        Trainer = new TrainerSpec(TrainerKind.Mlp, solver, hyperparameters, compute, timeout),
    };

    private static string[] Paths(ModelSpec spec) => ModelSpecValidator.Validate(spec).Select(p => p.Path).ToArray();

    [Fact]
    public void All_mlp_hyperparameters_in_range_are_valid()
    {
        var hp = new Dictionary<string, double>
        {
            ["hiddenLayers"] = 3, ["hiddenUnits"] = 128, ["learningRate"] = 0.001, ["batchSize"] = 512,
            ["epochs"] = 100, ["patience"] = 10, ["l2Regularization"] = 0, ["workers"] = 4, ["replicas"] = 4, ["roundSteps"] = 8,
        };
        Assert.Empty(ModelSpecValidator.Validate(Mlp(hp, compute: TrainerSpec.Gpu, timeout: TimeSpan.FromMinutes(30))));
    }

    [Fact]
    public void Out_of_range_and_non_integer_values_are_reported()
    {
        var hp = new Dictionary<string, double>
        {
            ["hiddenLayers"] = 0, ["hiddenUnits"] = 10.5, ["learningRate"] = 0, ["batchSize"] = 100000,
            ["epochs"] = -1, ["patience"] = 0, ["l2Regularization"] = -0.1, ["workers"] = 65, ["replicas"] = 17, ["roundSteps"] = 0,
        };
        Assert.Equal(hp.Keys.Select(k => $"$.trainer.hyperparameters.{k}").Order(), Paths(Mlp(hp)).Order());
    }

    [Fact]
    public void Tree_hyperparameters_and_a_solver_are_not_mlp_settings()
    {
        var paths = Paths(Mlp(new Dictionary<string, double> { ["numberOfTrees"] = 10 }, solver: TrainerSpec.Sdca));
        Assert.Equal(["$.trainer.solver", "$.trainer.hyperparameters.numberOfTrees"], paths);
    }

    [Fact]
    public void Compute_must_be_known_and_timeout_positive()
    {
        Assert.Equal(["$.trainer.compute", "$.trainer.timeout"], Paths(Mlp(compute: "tpu", timeout: TimeSpan.Zero)));
        Assert.Empty(ModelSpecValidator.Validate(Mlp(compute: TrainerSpec.Cpu)));
    }
}
