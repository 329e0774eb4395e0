using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Specs;

public class ModelSpecValidatorTests
{
    private static ModelSpec Valid() => new()
    {
        Task = ModelTask.Binary,
        Label = "churned",
        Features =
        [
            new FeatureSpec("age", FeatureType.Numeric, Min: 0, Max: 120),
            new FeatureSpec("plan", FeatureType.Categorical, Categories: ["basic", "pro"]),
            new FeatureSpec("active", FeatureType.Boolean, Nullable: true),
        ],
        Trainer = new TrainerSpec(TrainerKind.LightGbm, Hyperparameters: new Dictionary<string, double> { ["numberOfTrees"] = 100, ["learningRate"] = 0.1 }),
        Gates = new GateSpec([new MetricThreshold("auc", Min: 0.7)], new ChampionComparison("auc", 0.0)),
    };

    private static string[] Paths(ModelSpec spec) => ModelSpecValidator.Validate(spec).Select(p => p.Path).ToArray();

    [Fact]
    public void Valid_spec_has_no_problems()
    {
        Assert.Empty(ModelSpecValidator.Validate(Valid()));
    }

    [Fact]
    public void No_features()
    {
        Assert.Equal(["$.features"], Paths(Valid() with { Features = [] }));
    }

    [Fact]
    public void Duplicate_empty_and_label_feature_names()
    {
        var spec = Valid() with
        {
            Features =
            [
                new FeatureSpec("age", FeatureType.Numeric),
                new FeatureSpec("age", FeatureType.Numeric),
                new FeatureSpec(" ", FeatureType.Numeric),
                new FeatureSpec("churned", FeatureType.Boolean),
                new FeatureSpec(" padded", FeatureType.Numeric),
            ],
        };
        Assert.Equal(["$.features[1].name", "$.features[2].name", "$.features[3].name", "$.features[4].name"], Paths(spec));
    }

    [Fact]
    public void Empty_label()
    {
        Assert.Equal(["$.label"], Paths(Valid() with { Label = "" }));
    }

    [Fact]
    public void Bounds_problems()
    {
        var spec = Valid() with
        {
            Features =
            [
                new FeatureSpec("a", FeatureType.Numeric, Min: 5, Max: 1),
                new FeatureSpec("b", FeatureType.Boolean, Min: 0),
                new FeatureSpec("c", FeatureType.Numeric, Max: double.NaN),
            ],
        };
        Assert.Equal(["$.features[0].min", "$.features[1].min", "$.features[2].max"], Paths(spec));
    }

    [Fact]
    public void Category_problems()
    {
        var spec = Valid() with
        {
            Features =
            [
                new FeatureSpec("a", FeatureType.Numeric, Categories: ["x"]),
                new FeatureSpec("b", FeatureType.Categorical),
                new FeatureSpec("c", FeatureType.Categorical, Categories: ["x", "y", "x", ""]),
                new FeatureSpec("d", FeatureType.Categorical, UnknownCategory: UnknownCategoryPolicy.Allow),
                new FeatureSpec("e", FeatureType.Boolean, UnknownCategory: UnknownCategoryPolicy.Allow),
            ],
        };
        Assert.Equal(
            ["$.features[0].categories", "$.features[1].categories", "$.features[2].categories[2]", "$.features[2].categories[3]", "$.features[4].unknownCategory"],
            Paths(spec));
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.95, true)]
    [InlineData(-0.1, true)]
    [InlineData(0.9, false)]
    [InlineData(0.01, false)]
    public void Holdout_fraction_must_be_in_open_zero_to_point_nine(double fraction, bool bad)
    {
        var paths = Paths(Valid() with { Holdout = new HoldoutSpec(fraction) });
        Assert.Equal(bad ? ["$.holdout.fraction"] : [], paths);
    }

    [Theory]
    [InlineData(-0.01, true)]
    [InlineData(1.01, true)]
    [InlineData(double.NaN, true)]
    [InlineData(0.0, false)]
    [InlineData(1.0, false)]
    public void Max_invalid_row_fraction_must_be_in_zero_one(double fraction, bool bad)
    {
        var paths = Paths(Valid() with { MaxInvalidRowFraction = fraction });
        Assert.Equal(bad ? ["$.maxInvalidRowFraction"] : [], paths);
    }

    [Fact]
    public void Tree_hyperparameters_are_checked_by_name_and_value()
    {
        var spec = Valid() with
        {
            Trainer = new TrainerSpec(TrainerKind.FastTree, Hyperparameters: new Dictionary<string, double>
            {
                ["numberOfTrees"] = 2.5,
                ["numberOfLeaves"] = 1,
                ["learningRate"] = 0,
                ["minimumExampleCountPerLeaf"] = 0,
                ["l2Regularization"] = 1,
                ["bogus"] = 1,
            }),
        };
        Assert.Equal(
            [
                "$.trainer.hyperparameters.numberOfTrees", "$.trainer.hyperparameters.numberOfLeaves",
                "$.trainer.hyperparameters.learningRate", "$.trainer.hyperparameters.minimumExampleCountPerLeaf",
                "$.trainer.hyperparameters.l2Regularization", "$.trainer.hyperparameters.bogus",
            ],
            Paths(spec));
    }

    [Fact]
    public void Linear_hyperparameters_and_solver()
    {
        var ok = Valid() with
        {
            Trainer = new TrainerSpec(TrainerKind.Linear, TrainerSpec.Lbfgs, new Dictionary<string, double>
            {
                ["l1Regularization"] = 0, ["l2Regularization"] = 0.5, ["maximumNumberOfIterations"] = 100,
            }),
        };
        Assert.Empty(Paths(ok));

        var bad = Valid() with
        {
            Trainer = new TrainerSpec(TrainerKind.Linear, "adam", new Dictionary<string, double>
            {
                ["l1Regularization"] = -1, ["maximumNumberOfIterations"] = 0, ["numberOfTrees"] = 10,
            }),
        };
        Assert.Equal(
            ["$.trainer.solver", "$.trainer.hyperparameters.l1Regularization", "$.trainer.hyperparameters.maximumNumberOfIterations", "$.trainer.hyperparameters.numberOfTrees"],
            Paths(bad));
    }

    [Fact]
    public void Solver_on_tree_trainer()
    {
        Assert.Equal(["$.trainer.solver"], Paths(Valid() with { Trainer = new TrainerSpec(TrainerKind.LightGbm, TrainerSpec.Sdca) }));
    }

    [Fact]
    public void Lbfgs_regression_is_rejected_but_lbfgs_classification_is_fine()
    {
        var lbfgs = new TrainerSpec(TrainerKind.Linear, TrainerSpec.Lbfgs);
        Assert.Equal(["$.trainer.solver"], Paths(Valid() with { Task = ModelTask.Regression, Trainer = lbfgs, Gates = new GateSpec() }));
        Assert.Empty(Paths(Valid() with { Trainer = lbfgs }));
    }

    [Fact]
    public void Gate_problems()
    {
        var spec = Valid() with
        {
            Gates = new GateSpec(
                [
                    new MetricThreshold("rmse", Max: 1),
                    new MetricThreshold("auc"),
                    new MetricThreshold("f1", Min: 0.9, Max: 0.5),
                ],
                new ChampionComparison("macroF1")),
        };
        Assert.Equal(["$.gates.thresholds[0].metric", "$.gates.thresholds[1]", "$.gates.thresholds[2].min", "$.gates.comparison.metric"], Paths(spec));
    }

    [Fact]
    public void Regression_metrics_are_accepted_for_regression()
    {
        var spec = Valid() with { Task = ModelTask.Regression, Gates = new GateSpec([new MetricThreshold("rmse", Max: 3)], new ChampionComparison("r2")) };
        Assert.Empty(Paths(spec));
    }

    [Fact]
    public void Class_problems()
    {
        Assert.Equal(["$.classes"], Paths(Valid() with { Classes = ["a", "b"] }));

        var multi = Valid() with { Task = ModelTask.Multiclass, Gates = new GateSpec() };
        Assert.Equal(["$.classes"], Paths(multi with { Classes = ["only"] }));
        Assert.Equal(["$.classes[2]", "$.classes[3]"], Paths(multi with { Classes = ["a", "b", "a", ""] }));
        Assert.Empty(Paths(multi with { Classes = ["a", "b", "c"] }));
    }

    [Fact]
    public void Missing_value_tokens_must_not_be_categories_or_padded()
    {
        var spec = Valid() with { MissingValues = ["", "pro", " NA"] };
        Assert.Equal(["$.missingValues[1]", "$.missingValues[2]"], Paths(spec));
    }

    [Fact]
    public void Every_problem_is_listed_not_just_the_first()
    {
        var spec = Valid() with
        {
            Label = "",
            Features = [new FeatureSpec("a", FeatureType.Numeric, Min: 2, Max: 1)],
            Holdout = new HoldoutSpec(1.0),
            MaxInvalidRowFraction = 2,
            Trainer = new TrainerSpec(Hyperparameters: new Dictionary<string, double> { ["x"] = 1 }),
            Gates = new GateSpec([new MetricThreshold("auc")]),
        };
        Assert.Equal(
            ["$.features[0].min", "$.label", "$.trainer.hyperparameters.x", "$.holdout.fraction", "$.gates.thresholds[0]", "$.maxInvalidRowFraction"],
            Paths(spec));
    }

    [Fact]
    public void Parse_reads_a_valid_spec()
    {
        const string json = """
            {
              "task": "multiclass", "label": "species", "classes": ["setosa", "versicolor", "virginica"],
              "features": [
                { "name": "petalLength", "type": "numeric", "min": 0 },
                { "name": "colour", "type": "categorical", "unknownCategory": "allow" }
              ],
              "trainer": { "type": "linear", "solver": "sdca" },
              "gates": { "thresholds": [ { "metric": "macroF1", "min": 0.8 } ] },
              "allowExtraColumns": true
            }
            """;
        var result = ModelSpecValidator.Parse(json);
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(ModelTask.Multiclass, result.Spec!.Task);
        Assert.Equal(UnknownCategoryPolicy.Allow, result.Spec.Features[1].UnknownCategory);
        Assert.Equal(TrainerKind.Linear, result.Spec.Trainer.Type);
        Assert.True(result.Spec.AllowExtraColumns);
    }

    [Fact]
    public void Parse_reports_syntax_errors_with_a_path()
    {
        var result = ModelSpecValidator.Parse("""{ "task": "binary", "label": "y", "features": [ { "name": "a", """);
        Assert.False(result.IsValid);
        Assert.Null(result.Spec);
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("$", problem.Path);
    }

    [Fact]
    public void Parse_reports_a_wrong_enum_value_at_its_path()
    {
        var result = ModelSpecValidator.Parse("""{ "task": "binary", "label": "y", "features": [ { "name": "a", "type": "text" } ] }""");
        Assert.Null(result.Spec);
        Assert.Equal("$.features[0].type", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void Parse_reports_missing_required_properties()
    {
        var result = ModelSpecValidator.Parse("""{ "task": "binary", "features": [] }""");
        Assert.Null(result.Spec);
        Assert.Contains("label", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public void Parse_runs_validation_on_a_readable_spec()
    {
        var result = ModelSpecValidator.Parse("""{ "task": "binary", "label": "y", "features": [ null, { "name": "y", "type": "numeric" } ], "holdout": null }""");
        Assert.NotNull(result.Spec);
        Assert.False(result.IsValid);
        Assert.Equal(["$.features[0]", "$.features[1].name", "$.holdout"], result.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Integer_enum_values_outside_the_enum_are_problems()
    {
        var result = ModelSpecValidator.Parse("""{ "task": 7, "label": "y", "features": [ { "name": "a", "type": 9 }, { "name": "b", "type": "categorical", "categories": ["x"], "unknownCategory": 5 } ], "trainer": { "type": 4 } }""");
        Assert.NotNull(result.Spec);
        Assert.Equal(["$.task", "$.features[0].type", "$.features[1].unknownCategory", "$.trainer.type"], result.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Parse_of_json_null_is_a_problem()
    {
        var result = ModelSpecValidator.Parse("null");
        Assert.Equal("$", Assert.Single(result.Problems).Path);
    }
}
