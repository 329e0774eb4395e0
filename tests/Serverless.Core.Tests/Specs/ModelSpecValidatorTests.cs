using System.Text.Json;
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
    public void Parse_names_the_allowed_values_of_a_wrong_enum()
    {
        var result = ModelSpecValidator.Parse("""{ "task": "binary", "label": "y", "features": [ { "name": "a", "type": "nmeric" } ] }""");
        Assert.Null(result.Spec);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.features[0].type", problem.Path);
        Assert.Equal("type must be one of numeric, categorical, boolean; got 'nmeric'.", problem.Message);
    }

    [Fact]
    public void Parse_reports_missing_required_properties()
    {
        var result = ModelSpecValidator.Parse("""{ "task": "binary", "features": [ { "type": "numeric" } ] }""");
        Assert.Null(result.Spec);
        Assert.Equal(["$.features[0].name", "$.label"], result.Problems.Select(p => p.Path));
        Assert.Contains("'label' is missing", result.Problems[1].Message);
    }

    [Fact]
    public void Nulls_where_the_spec_has_none_are_reported_with_the_value_rules_of_the_rest()
    {
        var result = ModelSpecValidator.Parse("""
            { "task": "binary", "label": "y", "features": [ null, { "name": "y", "type": "numeric" } ], "holdout": null,
              "monitoring": { "drift": null, "sampleRate": 2 } }
            """);
        Assert.Null(result.Spec);
        Assert.Equal(["$.features[0]", "$.holdout", "$.monitoring.drift", "$.features[1].name", "$.monitoring.sampleRate"], result.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Monitoring_null_is_a_problem_not_a_crash_later()
    {
        var result = ModelSpecValidator.Parse("""{ "task": "binary", "label": "y", "features": [ { "name": "a", "type": "numeric" } ], "monitoring": null }""");
        Assert.Equal("$.monitoring", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void Integer_enum_values_are_refused_with_the_allowed_names()
    {
        var result = ModelSpecValidator.Parse("""{ "task": 7, "label": "y", "features": [ { "name": "a", "type": 9 }, { "name": "b", "type": "categorical", "categories": ["x"], "unknownCategory": 5 } ], "trainer": { "type": 4 } }""");
        Assert.Null(result.Spec);
        Assert.Equal(["$.task", "$.features[0].type", "$.features[1].unknownCategory", "$.trainer.type"], result.Problems.Select(p => p.Path));
        Assert.Contains("lightgbm, fasttree, linear, mlp", result.Problems[3].Message);
    }

    [Fact]
    public void A_misspelt_task_is_one_problem_not_a_cascade_about_task_specific_fields()
    {
        var result = ModelSpecValidator.Parse("""{ "task": "binnary", "label": "y", "positiveClass": "Y", "classes": ["a", "b"], "features": [ { "name": "a", "type": "numeric" } ], "gates": { "thresholds": [ { "metric": "auc", "min": 0.5 } ] } }""");
        Assert.Equal("task must be one of binary, multiclass, regression; got 'binnary'.", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public void Unknown_keys_are_named_with_a_suggestion_everywhere()
    {
        var result = ModelSpecValidator.Parse("""
            { "task": "binary", "label": "y", "postiveClass": "Y", "features": [ { "name": "a", "type": "numeric", "nulable": true } ],
              "monitoring": { "drift": { "windw": "1.00:00:00" }, "zzz": 1 }, "trainer": { "hyperparameters": {} } }
            """);
        Assert.Equal(["$.postiveClass", "$.features[0].nulable", "$.monitoring.drift.windw", "$.monitoring.zzz"], result.Problems.Select(p => p.Path));
        Assert.Equal("Unknown key 'postiveClass'; did you mean 'positiveClass'?", result.Problems[0].Message);
        Assert.Contains("did you mean 'nullable'", result.Problems[1].Message);
        Assert.Contains("did you mean 'window'", result.Problems[2].Message);
        Assert.StartsWith("Unknown key 'zzz'; expected one of drift, driftSchedule,", result.Problems[3].Message);
    }

    [Fact]
    public void Keys_are_case_sensitive_and_duplicates_are_refused()
    {
        var result = ModelSpecValidator.Parse("""{ "Task": "binary", "task": "binary", "label": "y", "label": "z", "features": [ { "name": "a", "type": "numeric" } ] }""");
        Assert.Equal(["$.Task", "$.label"], result.Problems.Select(p => p.Path));
        Assert.Contains("did you mean 'task'", result.Problems[0].Message);
        Assert.Equal("Duplicate key 'label'.", result.Problems[1].Message);
    }

    [Fact]
    public void Wrong_kinds_and_named_floating_literals_are_refused()
    {
        var result = ModelSpecValidator.Parse("""
            { "task": "binary", "label": "y", "features": [ { "name": "a", "type": "numeric", "min": "0" } ],
              "maxInvalidRowFraction": "NaN", "allowExtraColumns": "yes", "holdout": { "seed": 1.5 },
              "monitoring": { "sampleRate": "NaN", "retrainCooldown": "6h", "qualityWindows": "01:00:00" } }
            """);
        Assert.Null(result.Spec);
        Assert.Equal(
            ["$.features[0].min", "$.maxInvalidRowFraction", "$.allowExtraColumns", "$.holdout.seed", "$.monitoring.sampleRate", "$.monitoring.retrainCooldown", "$.monitoring.qualityWindows"],
            result.Problems.Select(p => p.Path));
        Assert.Contains("\"06:00:00\"", result.Problems[5].Message);
    }

    [Fact]
    public void The_schema_key_is_accepted_at_the_top_only()
    {
        var ok = ModelSpecValidator.Parse("""{ "$schema": "../../schemas/model.schema.json", "task": "binary", "label": "y", "features": [ { "name": "a", "type": "numeric" } ] }""");
        Assert.True(ok.IsValid, string.Join("; ", ok.Problems));
        var nested = ModelSpecValidator.Parse("""{ "task": "binary", "label": "y", "features": [ { "$schema": "x", "name": "a", "type": "numeric" } ] }""");
        Assert.Equal("$.features[0].$schema", Assert.Single(nested.Problems).Path);
    }

    [Fact]
    public void Serving_was_removed_users_are_told_and_stored_specs_keep_working()
    {
        const string json = """{ "task": "binary", "label": "y", "features": [ { "name": "a", "type": "numeric" } ], "serving": "cpu", "trainer": { "usesRemoteTrainer": false } }""";
        var sent = ModelSpecValidator.Parse(json);
        Assert.Equal(["$.serving", "$.trainer.usesRemoteTrainer"], sent.Problems.Select(p => p.Path));
        Assert.Contains("removed", sent.Problems[0].Message);
        Assert.True(ModelSpecValidator.Parse(json, stored: true).IsValid);
    }

    [Fact]
    public void A_stored_spec_round_trips_through_the_serializer()
    {
        var spec = Valid() with { Monitoring = new MonitoringSpec { QualityMetric = "auc", QualityFloor = 0.7, LabelingConfidenceThreshold = 0.6 } };
        var json = JsonSerializer.Serialize(spec, Serverless.Core.PlatformJson.Indented);
        var result = ModelSpecValidator.Parse(json);
        Assert.True(result.IsValid, string.Join("; ", result.Problems) + json);
        Assert.Equal(json, JsonSerializer.Serialize(result.Spec, Serverless.Core.PlatformJson.Indented));
    }

    [Fact]
    public void Positive_class_is_binary_only_non_empty_and_not_a_missing_token()
    {
        Assert.Empty(Paths(Valid() with { PositiveClass = "approved" }));
        Assert.Equal(["$.positiveClass"], Paths(Valid() with { PositiveClass = " " }));
        Assert.Equal(["$.positiveClass"], Paths(Valid() with { PositiveClass = " Y" }));
        Assert.Equal(["$.positiveClass"], Paths(Valid() with { PositiveClass = "NA" }));
        Assert.Equal(["$.positiveClass"], Paths(Valid() with { PositiveClass = new string('x', 257) }));
        Assert.Contains("$.positiveClass", Paths(Valid() with { Task = ModelTask.Regression, PositiveClass = "Y", Gates = new GateSpec() }));
    }

    [Theory]
    [InlineData(100, 10, 20, 2, null)]
    [InlineData(1, 1, 1, 1, null)]
    [InlineData(0, 10, 20, 2, "$.minimumRows.total")]
    [InlineData(100, -1, 20, 2, "$.minimumRows.perClass")]
    [InlineData(10, 5, 20, 2, "$.minimumRows.holdout")]
    [InlineData(10, 20, 5, 2, "$.minimumRows.perClass")]
    [InlineData(100, 10, 20, 30, "$.minimumRows.holdoutPerClass")]
    [InlineData(100, 3, 20, 5, "$.minimumRows.holdoutPerClass")]
    public void Minimum_rows_are_positive_and_nested(int total, int perClass, int holdout, int holdoutPerClass, string? problem)
    {
        var paths = Paths(Valid() with { MinimumRows = new MinimumRowsSpec(total, perClass, holdout, holdoutPerClass) });
        Assert.Equal(problem is null ? [] : [problem], paths.Distinct());
    }

    [Fact]
    public void Sizes_have_maxima()
    {
        var many = Enumerable.Range(0, 5000).Select(i => new FeatureSpec($"f{i}", FeatureType.Numeric)).ToList();
        Assert.Equal(["$.features"], Paths(Valid() with { Features = many }));
        Assert.Equal(["$.missingValues"], Paths(Valid() with { MissingValues = [.. Enumerable.Range(0, 90_000).Select(i => $"t{i}")] }));
        Assert.Equal(["$.missingValues[1]"], Paths(Valid() with { MissingValues = ["NA", "NA"] }));
        Assert.Equal(["$.features[1].categories"], Paths(Valid() with
        {
            Features = [Valid().Features[0], new FeatureSpec("plan", FeatureType.Categorical, Categories: [.. Enumerable.Range(0, 10_001).Select(i => $"c{i}")])],
        }));
        Assert.Equal(["$.label"], Paths(Valid() with { Label = new string('y', 257) }));
    }

    [Theory]
    [InlineData("numberOfTrees", 1e9)]
    [InlineData("numberOfTrees", 0)]
    [InlineData("numberOfLeaves", 131_073)]
    [InlineData("learningRate", 1.5)]
    [InlineData("minimumExampleCountPerLeaf", 2_000_000)]
    public void Tree_hyperparameters_have_bounds(string name, double value)
    {
        var spec = Valid() with { Trainer = new TrainerSpec(TrainerKind.LightGbm, Hyperparameters: new Dictionary<string, double> { [name] = value }) };
        Assert.Equal([$"$.trainer.hyperparameters.{name}"], Paths(spec));
    }

    [Fact]
    public void A_timeout_is_for_runs_that_can_train_on_the_job_only_and_bounded()
    {
        // compute cpu never leaves the activity, so a timeout would mean nothing.
        Assert.Equal(["$.trainer.timeout"], Paths(Valid() with { Trainer = new TrainerSpec(Compute: TrainerSpec.Cpu, Timeout: TimeSpan.FromHours(1)) }));
        // auto (absent or named), job and gpu may train on the job.
        Assert.Empty(Paths(Valid() with { Trainer = new TrainerSpec(Timeout: TimeSpan.FromHours(1)) }));
        Assert.Empty(Paths(Valid() with { Trainer = new TrainerSpec(Compute: TrainerSpec.Auto, Timeout: TimeSpan.FromHours(1)) }));
        Assert.Empty(Paths(Valid() with { Trainer = new TrainerSpec(Compute: TrainerSpec.Job, Timeout: TimeSpan.FromHours(1)) }));
        Assert.Empty(Paths(Valid() with { Trainer = new TrainerSpec(Compute: TrainerSpec.Gpu, Timeout: TimeSpan.FromHours(1)) }));
        Assert.Equal(["$.trainer.timeout"], Paths(Valid() with { Trainer = new TrainerSpec(Compute: TrainerSpec.Gpu, Timeout: TimeSpan.FromDays(30)) }));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("cpu")]
    [InlineData("job")]
    [InlineData("gpu")]
    public void Compute_takes_auto_cpu_job_and_gpu(string compute) =>
        Assert.Empty(Paths(Valid() with { Trainer = new TrainerSpec(Compute: compute) }));

    [Fact]
    public void An_unknown_compute_lists_the_values()
    {
        var problem = Assert.Single(ModelSpecValidator.Validate(Valid() with { Trainer = new TrainerSpec(Compute: "activity") }));
        Assert.Equal("$.trainer.compute", problem.Path);
        Assert.Contains("'auto', 'cpu', 'job', 'gpu'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitoring_fields_have_bounds()
    {
        static string[] With(MonitoringSpec m) => Paths(Valid() with { Monitoring = m });

        Assert.Empty(With(new MonitoringSpec()));
        Assert.Equal(["$.monitoring.sampleRate"], With(new MonitoringSpec { SampleRate = double.NaN }));
        Assert.Equal(["$.monitoring.sampleRate"], With(new MonitoringSpec { SampleRate = 1.5 }));
        Assert.Equal(["$.monitoring.driftSchedule"], With(new MonitoringSpec { DriftSchedule = "0 * * * *" }));
        Assert.Equal(["$.monitoring.driftSchedule"], With(new MonitoringSpec { DriftSchedule = "0 0 25 * * *" }));
        Assert.Equal(["$.monitoring.retrainCooldown"], With(new MonitoringSpec { RetrainCooldown = TimeSpan.FromHours(-1) }));
        Assert.Empty(With(new MonitoringSpec { RetrainCooldown = TimeSpan.Zero }));
        Assert.Equal(["$.monitoring.feedbackWindow"], With(new MonitoringSpec { FeedbackWindow = TimeSpan.FromDays(36_500) }));
        Assert.Equal(["$.monitoring.drift.window"], With(new MonitoringSpec { Drift = new DriftSpec { Window = TimeSpan.FromDays(36_500) } }));
        Assert.Equal(["$.monitoring.drift.minWindowRows"], With(new MonitoringSpec { Drift = new DriftSpec { MinWindowRows = 0 } }));
        Assert.Equal(["$.monitoring.drift.datasetDriftShare"], With(new MonitoringSpec { Drift = new DriftSpec { DatasetDriftShare = 0 } }));
        Assert.Equal(["$.monitoring.drift.pValueThreshold"], With(new MonitoringSpec { Drift = new DriftSpec { PValueThreshold = 1 } }));
        Assert.Equal(["$.monitoring.drift.distanceThreshold"], With(new MonitoringSpec { Drift = new DriftSpec { DistanceThreshold = -0.1 } }));
        Assert.Equal(["$.monitoring.qualityWindows"], With(new MonitoringSpec { QualityWindows = [] }));
        Assert.Equal(["$.monitoring.qualityWindows[1]", "$.monitoring.qualityWindows[2]"],
            With(new MonitoringSpec { QualityWindows = [TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.FromHours(1)] }));
        Assert.Equal(["$.monitoring.qualityMetric"], With(new MonitoringSpec { QualityMetric = "rmse", QualityFloor = 1 }));
        Assert.Equal(["$.monitoring.qualityFloor"], With(new MonitoringSpec { QualityMetric = "auc" }));
        Assert.Equal(["$.monitoring.qualityMetric"], With(new MonitoringSpec { QualityFloor = 0.7 }));
        Assert.Equal(["$.monitoring.labelingConfidenceThreshold"], With(new MonitoringSpec { LabelingConfidenceThreshold = 0 }));
    }

    [Fact]
    public void Drift_overrides_name_a_feature_and_a_usable_method()
    {
        static string[] With(Dictionary<string, FeatureDriftOverride> o) => Paths(Valid() with { Monitoring = new MonitoringSpec { Drift = new DriftSpec { Features = o } } });

        Assert.Empty(With(new() { ["age"] = new("ks", 0.01), ["prediction"] = new("psi", 0.2), ["plan"] = new("chisquare") }));
        Assert.Equal(["$.monitoring.drift.features.agee"], With(new() { ["agee"] = new("ks") }));
        Assert.Equal(["$.monitoring.drift.features.age.method"], With(new() { ["age"] = new("kss") }));
        Assert.Equal(["$.monitoring.drift.features.plan.method"], With(new() { ["plan"] = new("wasserstein") }));
        Assert.Equal(["$.monitoring.drift.features.age.threshold"], With(new() { ["age"] = new("ks", 5) }));
        Assert.Equal(["$.monitoring.drift.features.age.threshold"], With(new() { ["age"] = new(null, 0) }));
    }

    [Fact]
    public void Parse_of_json_null_is_a_problem()
    {
        var result = ModelSpecValidator.Parse("null");
        Assert.Equal("$", Assert.Single(result.Problems).Path);
    }
}
