using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Specs;

public sealed class SearchSpecValidatorTests
{
    private static ModelSpec With(SearchSpec search, TrainerSpec? trainer = null) => new()
    {
        Task = ModelTask.Binary,
        Label = "y",
        Features = [new FeatureSpec("x", FeatureType.Numeric)],
        Trainer = trainer ?? new TrainerSpec(Hyperparameters: new Dictionary<string, double> { ["numberOfTrees"] = 100 }),
        Search = search,
    };

    private static SearchSpec Space(params (string Name, SearchDimension Dimension)[] dims) =>
        new() { Space = dims.ToDictionary(d => d.Name, d => d.Dimension) };

    private static readonly SearchDimension Rate = new(SearchDistribution.LogUniform, Min: 0.01, Max: 0.3);

    private static List<SpecProblem> Problems(ModelSpec spec) => [.. ModelSpecValidator.Validate(spec)];

    private static string[] Paths(ModelSpec spec) => [.. Problems(spec).Select(p => p.Path)];

    [Fact]
    public void A_space_of_every_distribution_is_valid()
    {
        var spec = With(Space(
            ("learningRate", Rate),
            ("numberOfLeaves", new(SearchDistribution.Int, Min: 4, Max: 64)),
            ("minimumExampleCountPerLeaf", new(SearchDistribution.Choice, [5, 20, 50]))) with { Strategy = SearchStrategy.Asha, Folds = 3 });
        Assert.Empty(Problems(spec));
    }

    [Fact]
    public void Bad_dimensions_are_reported_at_their_field()
    {
        var spec = With(Space(
            ("depth", new(SearchDistribution.Int, Min: 1, Max: 5)),
            ("learningRate", new(SearchDistribution.Uniform, Min: 0.3, Max: 0.01)),
            ("numberOfLeaves", new(SearchDistribution.Int, Min: 1, Max: 64)),
            ("minimumExampleCountPerLeaf", new(SearchDistribution.Choice, [5, 2.5]))));
        var problems = Problems(spec);
        Assert.Equal(
            ["$.search.space.depth", "$.search.space.learningRate.min", "$.search.space.numberOfLeaves.min", "$.search.space.minimumExampleCountPerLeaf.values[1]"],
            problems.Select(p => p.Path));
        Assert.Contains("numberOfLeaves", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("greater than max", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("[2, 131072]", problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Distribution_fields_must_fit_the_type()
    {
        Assert.Equal(["$.search.space.learningRate.type"], Paths(With(Space(("learningRate", new(SearchDistribution.Int, Min: 0.01, Max: 0.3))))));
        Assert.Equal(["$.search.space.learningRate.min"], Paths(With(Space(("learningRate", new(SearchDistribution.LogUniform, Min: 0, Max: 0.3))))));
        Assert.Equal(["$.search.space.learningRate.max"], Paths(With(Space(("learningRate", new(SearchDistribution.Uniform, Min: 0.01))))));
        Assert.Equal(["$.search.space.numberOfLeaves.values"], Paths(With(Space(("numberOfLeaves", new(SearchDistribution.Choice, []))))));
        Assert.Equal(["$.search.space.numberOfLeaves"], Paths(With(Space(("numberOfLeaves", new(SearchDistribution.Choice, [8], Min: 2))))));
        Assert.Equal(["$.search.space"], Paths(With(Space())));
    }

    [Fact]
    public void Budget_limits()
    {
        var ok = Space(("learningRate", Rate));
        Assert.Equal(["$.search.trials"], Paths(With(ok with { Trials = SearchSpecLimits.MaxTrials + 1 })));
        Assert.Equal(["$.search.trials"], Paths(With(ok with { Trials = 0 })));
        Assert.Equal(["$.search.concurrency"], Paths(With(ok with { Concurrency = SearchSpecLimits.MaxConcurrency + 1 })));
        Assert.Equal(["$.search.maxWallTime"], Paths(With(ok with { MaxWallTime = TimeSpan.Zero })));
        Assert.Equal(["$.search.folds"], Paths(With(ok with { Folds = 1 })));
        Assert.Equal(["$.search.metric"], Paths(With(ok with { Metric = "rmse" })));
        Assert.Empty(Paths(With(ok with { Trials = SearchSpecLimits.MaxTrials, Concurrency = SearchSpecLimits.MaxConcurrency, Folds = SearchSpecLimits.MaxFolds })));
    }

    [Fact]
    public void Asha_rules()
    {
        var asha = Space(("learningRate", Rate)) with { Strategy = SearchStrategy.Asha };
        Assert.Equal(["$.search.space.numberOfTrees"], Paths(With(Space(("numberOfTrees", new(SearchDistribution.Int, Min: 10, Max: 100))) with { Strategy = SearchStrategy.Asha })));
        Assert.Equal(["$.search.minResource"], Paths(With(asha with { MinResource = 100 })));
        Assert.Equal(["$.search.reductionFactor"], Paths(With(asha with { ReductionFactor = 1 })));
        Assert.Equal(["$.search.minResource"], Paths(With(Space(("learningRate", Rate)) with { MinResource = 5 })));
        Assert.Equal(["$.search.strategy"], Paths(With(Space(("l2Regularization", new(SearchDistribution.Uniform, Min: 0, Max: 1))) with { Strategy = SearchStrategy.Asha }, new TrainerSpec(TrainerKind.Linear))));
    }

    [Fact]
    public void An_mlp_sweeps_its_model_hyperparameters_with_asha_over_epochs()
    {
        var mlp = new TrainerSpec(TrainerKind.Mlp, Hyperparameters: new Dictionary<string, double> { ["epochs"] = 27 });
        var space = Space(
            ("learningRate", new(SearchDistribution.LogUniform, Min: 1e-4, Max: 0.05)),
            ("hiddenUnits", new(SearchDistribution.Choice, [16, 64, 256])),
            ("hiddenLayers", new(SearchDistribution.Int, Min: 1, Max: 3)),
            ("batchSize", new(SearchDistribution.Choice, [64, 256])),
            ("l2Regularization", new(SearchDistribution.Uniform, Min: 0, Max: 0.01))) with { Strategy = SearchStrategy.Asha };
        Assert.Empty(Problems(With(space, mlp)));
        Assert.Equal(SearchSpec.EpochsResource, SearchSpec.ResourceOf(mlp));
        Assert.Equal(27, SearchSpec.MaxResourceOf(mlp));
        Assert.Equal(3, space.MinResourceOf(mlp));
        Assert.Equal(TrainerSpec.DefaultEpochs, SearchSpec.MaxResourceOf(new TrainerSpec(TrainerKind.Mlp)));

        // The rungs set epochs; the final number is the trainer's.
        var epochs = Problems(With(Space(("epochs", new(SearchDistribution.Int, Min: 5, Max: 50))) with { Strategy = SearchStrategy.Asha }, mlp));
        Assert.Equal("$.search.space.epochs", Assert.Single(epochs).Path);
        Assert.Contains("trainer.hyperparameters.epochs", epochs[0].Message, StringComparison.Ordinal);
        Assert.Empty(Problems(With(Space(("epochs", new(SearchDistribution.Int, Min: 5, Max: 50))), mlp)));
        var min = Problems(With(space with { MinResource = 27 }, mlp));
        Assert.Equal("$.search.minResource", Assert.Single(min).Path);
        Assert.Contains("[1, 27) (trainer.hyperparameters.epochs", min[0].Message, StringComparison.Ordinal);

        // Integers stay integers; processors are not a hyperparameter of the model.
        Assert.Equal(["$.search.space.learningRate.type"], Paths(With(Space(("learningRate", new(SearchDistribution.Int, Min: 0.001, Max: 0.1))), mlp)));
        Assert.Equal(["$.search.space.hiddenUnits.max"], Paths(With(Space(("hiddenUnits", new(SearchDistribution.Int, Min: 8, Max: 64.5))), mlp)));
        var replicas = Problems(With(Space(("replicas", new(SearchDistribution.Int, Min: 1, Max: 4))), mlp));
        Assert.Equal("$.search.space.replicas", Assert.Single(replicas).Path);
        Assert.Contains("one replica", replicas[0].Message, StringComparison.Ordinal);
        Assert.Equal(["$.search.space.numberOfLeaves"], Paths(With(Space(("numberOfLeaves", new(SearchDistribution.Int, Min: 4, Max: 64))), mlp)));
    }

    [Fact]
    public void A_tree_sweep_may_send_its_trials_to_the_trainer_job()
    {
        Assert.Empty(Problems(With(Space(("learningRate", Rate)), new TrainerSpec(Compute: TrainerSpec.Job))));
        Assert.Empty(Problems(With(Space(("learningRate", Rate)) with { Strategy = SearchStrategy.Asha }, new TrainerSpec(Compute: TrainerSpec.Gpu))));
    }

    [Fact]
    public void Json_level_errors_name_the_field()
    {
        var parsed = ModelSpecValidator.Parse("""
            {"task": "binary", "label": "y", "features": [{"name": "x", "type": "numeric"}],
             "search": {"space": {"learningRate": {"type": "normal", "min": 0.1, "max": 0.2}}, "strategy": "grid", "trials": "ten"}}
            """);
        Assert.False(parsed.IsValid);
        Assert.Equal(["$.search.space.learningRate.type", "$.search.strategy", "$.search.trials"], parsed.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Defaults_metric_from_the_gate_then_the_task()
    {
        var search = Space(("learningRate", Rate));
        var spec = With(search);
        Assert.Equal("auc", search.MetricFor(spec));
        Assert.True(search.Maximizes(spec));
        var gated = spec with { Gates = new GateSpec(Comparison: new ChampionComparison("logLoss")) };
        Assert.Equal("logLoss", search.MetricFor(gated));
        Assert.False(search.Maximizes(gated));
        Assert.False((search with { Direction = SearchDirection.Minimize }).Maximizes(spec));
        Assert.Equal(12, search.MinResourceOf(spec.Trainer));
    }
}
