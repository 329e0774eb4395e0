using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Json.Schema;
using Serverless.Core;
using Serverless.Core.Evaluation;
using Serverless.Core.Specs;
using Serverless.Tests.Shared;

namespace Serverless.Core.Tests.Specs;

/// <summary>
/// Keeps schemas/model.schema.json and <see cref="ModelSpecValidator"/> in lockstep: the same specs pass both, the
/// same broken specs fail both, and every rule the schema cannot state is listed below with the reason.
/// </summary>
public sealed class ModelSpecSchemaTests
{
    private static readonly string SchemaPath = Path.Combine(Azurite.FindRoot(), "schemas", "model.schema.json");
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(SchemaPath));
    private static readonly JsonObject SchemaJson = JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject();

    private static string SampleJson => File.ReadAllText(Path.Combine(Azurite.FindRoot(), "samples", "churn", "model.json"));

    /// <summary>Every sample, and the shapes of spec the tests use (serialized records and JSON tweaks of the sample).</summary>
    public static TheoryData<string, string> ValidSpecs()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(Azurite.FindRoot(), "samples")).Order())
        {
            data.Add($"samples/{Path.GetFileName(dir)}", File.ReadAllText(Path.Combine(dir, "model.json")));
        }

        var records = new Dictionary<string, ModelSpec>
        {
            ["binary, every monitoring field"] = new()
            {
                Task = ModelTask.Binary, Label = "y", PositiveClass = "approved", MissingValues = ["", "NA"],
                Features = [new("x", FeatureType.Numeric, Min: 0, Max: 1, Log: FeatureLogMode.Hash), new("c", FeatureType.Categorical, true, Categories: ["a", "b"], UnknownCategory: UnknownCategoryPolicy.Allow, Log: FeatureLogMode.Omit), new("b", FeatureType.Boolean, Log: FeatureLogMode.Raw)],
                Trainer = new TrainerSpec(TrainerKind.FastTree, Hyperparameters: new Dictionary<string, double> { ["numberOfTrees"] = 50, ["learningRate"] = 0.1 }),
                Gates = new GateSpec([new MetricThreshold("auc", 0.7, 1)], new ChampionComparison("logLoss", -0.01)),
                MinimumRows = new MinimumRowsSpec(50, 5, 10, 1),
                Monitoring = new MonitoringSpec
                {
                    SampleRate = 0.5, DriftSchedule = "0 */30 * * * *", QualityMetric = "auc", QualityFloor = 0.7, FeedbackWindow = TimeSpan.FromDays(7),
                    RetrainCooldown = TimeSpan.Zero, LabelingConfidenceThreshold = 0.6, QualityWindows = [TimeSpan.FromMinutes(30), TimeSpan.FromDays(90)],
                    Drift = new DriftSpec
                    {
                        Window = TimeSpan.FromHours(6), MinWindowRows = 1, DatasetDriftShare = 1, PValueThreshold = 0.01, DistanceThreshold = 0.2,
                        Features = new Dictionary<string, FeatureDriftOverride> { ["x"] = new("ks", 0.01), ["c"] = new("psi", 0.25), ["prediction"] = new(null, 0.2) },
                    },
                },
            },
            ["multiclass, linear lbfgs"] = new()
            {
                Task = ModelTask.Multiclass, Label = "species", Classes = ["a", "b", "c"], Features = [new("x", FeatureType.Numeric)],
                Trainer = new TrainerSpec(TrainerKind.Linear, TrainerSpec.Lbfgs, new Dictionary<string, double> { ["l2Regularization"] = 1, ["maximumNumberOfIterations"] = 100 }),
                Gates = new GateSpec([new MetricThreshold("macroF1", Min: 0.5)]),
                Monitoring = new MonitoringSpec { QualityMetric = "accuracy", QualityFloor = 0.8, LabelingConfidenceThreshold = 0.5 },
            },
            ["regression, mlp on gpu"] = new()
            {
                Task = ModelTask.Regression, Label = "price", Features = [new("x", FeatureType.Numeric)],
                Trainer = new TrainerSpec(TrainerKind.Mlp, null, new Dictionary<string, double> { ["hiddenLayers"] = 2, ["hiddenUnits"] = 64, ["epochs"] = 20, ["workers"] = 4 }, TrainerSpec.Gpu, TimeSpan.FromMinutes(30)),
                Gates = new GateSpec([new MetricThreshold("rmse", Max: 10)], new ChampionComparison("r2")),
                Monitoring = new MonitoringSpec { QualityMetric = "mae", QualityFloor = 3 },
            },
            ["regression, lightgbm on gpu compute"] = new()
            {
                Task = ModelTask.Regression, Label = "price", Features = [new("x", FeatureType.Numeric)],
                Trainer = new TrainerSpec(Compute: TrainerSpec.Gpu, Timeout: TimeSpan.FromDays(7)),
            },
            ["binary, with feature views"] = new()
            {
                Task = ModelTask.Binary, Label = "y", Features = [new("x", FeatureType.Numeric)],
                FeatureViews = [new("customer_profile", ["plan"]), new("customer_usage")],
            },
            ["regression, lightgbm on the job"] = new()
            {
                Task = ModelTask.Regression, Label = "price", Features = [new("x", FeatureType.Numeric)],
                Trainer = new TrainerSpec(Compute: TrainerSpec.Job, Timeout: TimeSpan.FromHours(3)),
            },
            ["regression, fasttree auto with a timeout"] = new()
            {
                Task = ModelTask.Regression, Label = "price", Features = [new("x", FeatureType.Numeric)],
                Trainer = new TrainerSpec(TrainerKind.FastTree, Compute: TrainerSpec.Auto, Timeout: TimeSpan.FromHours(3)),
            },
            ["binary, asha search with every field"] = new()
            {
                Task = ModelTask.Binary, Label = "y", Features = [new("x", FeatureType.Numeric)],
                Trainer = new TrainerSpec(Hyperparameters: new Dictionary<string, double> { ["numberOfTrees"] = 200 }),
                Search = new SearchSpec
                {
                    Space = new Dictionary<string, SearchDimension>
                    {
                        ["learningRate"] = new(SearchDistribution.LogUniform, Min: 0.01, Max: 0.3),
                        ["numberOfLeaves"] = new(SearchDistribution.Int, Min: 4, Max: 64),
                        ["minimumExampleCountPerLeaf"] = new(SearchDistribution.Choice, [5, 20, 50]),
                    },
                    Trials = 27, MaxWallTime = TimeSpan.FromMinutes(30), Concurrency = 8, Strategy = SearchStrategy.Asha, MinResource = 10,
                    ReductionFactor = 3, Metric = "logLoss", Direction = SearchDirection.Minimize, Folds = 3, Seed = 7,
                },
            },
            ["regression, linear random search"] = new()
            {
                Task = ModelTask.Regression, Label = "price", Features = [new("x", FeatureType.Numeric)],
                Trainer = new TrainerSpec(TrainerKind.Linear, Compute: TrainerSpec.Cpu),
                Search = new SearchSpec { Space = new Dictionary<string, SearchDimension> { ["l2Regularization"] = new(SearchDistribution.Uniform, Min: 0, Max: 10) } },
            },
            ["regression, mlp with compute cpu and a timeout (an mlp always trains on the job)"] = new()
            {
                Task = ModelTask.Regression, Label = "price", Features = [new("x", FeatureType.Numeric)],
                Trainer = new TrainerSpec(TrainerKind.Mlp, Compute: TrainerSpec.Cpu, Timeout: TimeSpan.FromHours(1)),
            },
        };
        foreach (var (name, spec) in records)
        {
            data.Add(name, JsonSerializer.Serialize(spec, PlatformJson.Indented));
        }

        // The tweaks tests/Serverless.Local.Tests apply to the sample.
        string[] tweaks =
        [
            """{"monitoring": {"labelingConfidenceThreshold": 0.75, "feedbackWindow": "30.00:00:00"}}""",
            """{"monitoring": {"drift": {"window": "01:00:00", "minWindowRows": 100, "datasetDriftShare": 0.2}, "retrainCooldown": "06:00:00"}}""",
            """{"trainer": {"type": "mlp", "timeout": "00:00:00.200", "hyperparameters": {"epochs": 50}}}""",
            """{"trainer": {"type": "lightgbm", "timeout": "01:00:00"}}""",
            """{"trainer": {"type": "mlp", "hyperparameters": {"hiddenLayers": 1, "hiddenUnits": 16, "epochs": 20, "batchSize": 128}}}""",
            """{"trainer": {"type": "mlp", "hyperparameters": {"replicas": 16, "workers": 2, "roundSteps": 1000}}}""",
            """{"trainer": {"type": "mlp", "hyperparameters": {"epochs": 9}}, "search": {"space": {"learningRate": {"type": "logUniform", "min": 0.001, "max": 0.05}, "hiddenUnits": {"type": "choice", "values": [8, 32]}}, "strategy": "asha", "trials": 6, "concurrency": 3, "seed": 5}}""",
            """{"trainer": {"type": "lightgbm", "compute": "job"}, "search": {"space": {"learningRate": {"type": "logUniform", "min": 0.02, "max": 0.3}}, "trials": 3}}""",
            """{"description": "Predicts churn.", "owner": "retention team", "intendedUse": "Ranking outreach.", "limitations": "Synthetic data.", "card": {"slices": ["contract", "autopay"], "topCategories": 3}}""",
            """{"gates": {"thresholds": [{ "metric": "auc", "min": 0.65 }, { "metric": "logLoss", "max": 0.7 }], "comparison": {"metric": "auc", "minImprovement": -1.0}}}""",
            """{"release": {"mode": "canary", "steps": [10, 50, 100], "bakeTime": "00:00:02", "guardrails": {"maxErrorRate": 0.05, "maxP99LatencyMs": 250, "maxPredictionDrift": 0.3, "minRequests": 20, "minLiveQuality": {"metric": "auc", "min": 0.6, "minLabels": 100}}, "approval": "required", "approvalTimeout": "1.00:00:00", "routingKey": "customer_id"}}""",
            """{"release": {"mode": "shadow", "bakeTime": "00:05:00", "guardrails": {"maxErrorRate": 0}}}""",
            """{"release": {"mode": "manual"}}""",
            """{"release": {"mode": "hold", "steps": [5, 25], "bakeTime": "00:10:00", "approvalTimeout": "2.00:00:00"}}""",
        ];
        foreach (var tweak in tweaks)
        {
            var spec = JsonNode.Parse(SampleJson)!.AsObject();
            foreach (var (key, value) in JsonNode.Parse(tweak)!.AsObject()) spec[key] = value?.DeepClone();
            data.Add("sample + " + tweak, spec.ToJsonString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidSpecs))]
    public void Valid_specs_pass_the_schema_and_the_validator(string name, string json)
    {
        var parsed = ModelSpecValidator.Parse(json);
        Assert.True(parsed.IsValid, $"{name}: {string.Join("; ", parsed.Problems)}");
        var result = Schema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{name}: {SchemaErrors(result)}");
    }

    /// <summary>
    /// Broken specs: each is the sample with one change. <c>reason</c> null: the schema rejects it too. Otherwise the
    /// schema cannot state the rule, and the reason says why (the test then checks that the schema really passes it,
    /// so the table stays true).
    /// </summary>
    public static TheoryData<string, string, string?> InvalidSpecs() => new()
    {
        { "postiveClass", """{"postiveClass": "Y"}""", null },
        { "serving", """{"serving": "gpu"}""", null },
        { "task", """{"task": "classify"}""", null },
        { "features.0.type", """{"features.0.type": "nmeric"}""", null },
        { "features", """{"features": []}""", null },
        { "features (1001)", "MANY_FEATURES", null },
        { "features.0.log", """{"features.0.log": "encrypt"}""", null },
        { "features.0.categories", """{"features.0.categories": ["a"]}""", null },
        { "features.0.$schema", """{"features.0.$schema": "x"}""", null },
        { "missingValues (101)", "MANY_TOKENS", null },
        { "missingValues padded", """{"missingValues": [" NA"]}""", null },
        { "positiveClass empty", """{"positiveClass": ""}""", null },
        { "classes on binary", """{"classes": ["a", "b"]}""", null },
        { "trainer.hyperparameters.numberOfTrees", """{"trainer.hyperparameters.numberOfTrees": 1000000000}""", null },
        { "trainer.hyperparameters.numberOfLeaves", """{"trainer.hyperparameters.numberOfLeaves": 131073}""", null },
        { "trainer.hyperparameters.bogus", """{"trainer.hyperparameters.bogus": 1}""", null },
        { "mlp replicas 17", """{"trainer": {"type": "mlp", "hyperparameters": {"replicas": 17}}}""", null },
        { "mlp replicas 0", """{"trainer": {"type": "mlp", "hyperparameters": {"replicas": 0}}}""", null },
        { "mlp roundSteps 1001", """{"trainer": {"type": "mlp", "hyperparameters": {"roundSteps": 1001}}}""", null },
        { "trainer.timeout on compute cpu", """{"trainer.compute": "cpu", "trainer.timeout": "01:00:00"}""", null },
        { "trainer.compute", """{"trainer.compute": "activity"}""", null },
        { "trainer.solver on lightgbm", """{"trainer.solver": "sdca"}""", null },
        { "holdout.fraction", """{"holdout.fraction": 0.95}""", null },
        { "gates.thresholds.0.metric", """{"gates.thresholds.0.metric": "rmse"}""", null },
        { "maxInvalidRowFraction", """{"maxInvalidRowFraction": 2}""", null },
        { "minimumRows.total", """{"minimumRows": {"total": 0}}""", null },
        { "monitoring null", """{"monitoring": null}""", null },
        { "monitoring.drift null", """{"monitoring": {"drift": null}}""", null },
        { "monitoring.sampleRate", """{"monitoring": {"sampleRate": 1.5}}""", null },
        { "monitoring.sampleRate NaN", """{"monitoring": {"sampleRate": "NaN"}}""", null },
        { "monitoring.driftSchedule 5 fields", """{"monitoring": {"driftSchedule": "0 * * * *"}}""", null },
        { "monitoring.retrainCooldown negative", """{"monitoring": {"retrainCooldown": "-06:00:00"}}""", null },
        { "monitoring.qualityWindows empty", """{"monitoring": {"qualityWindows": []}}""", null },
        { "monitoring.qualityMetric without floor", """{"monitoring": {"qualityMetric": "auc"}}""", null },
        { "monitoring.qualityMetric of another task", """{"monitoring": {"qualityMetric": "rmse", "qualityFloor": 1}}""", null },
        { "monitoring.labelingConfidenceThreshold", """{"monitoring": {"labelingConfidenceThreshold": 0}}""", null },
        { "monitoring.drift.features.method", """{"monitoring": {"drift": {"features": {"tenure_months": {"method": "kss"}}}}}""", null },
        { "monitoring.drift.minWindowRows", """{"monitoring": {"drift": {"minWindowRows": 0}}}""", null },
        { "description whitespace", """{"description": "   "}""", null },
        { "owner too long", "{\"owner\": \"" + new string('o', 257) + "\"}", null },
        { "limitations too long", "{\"limitations\": \"" + new string('l', 4001) + "\"}", null },
        { "card.slices 6", """{"card": {"slices": ["a", "b", "c", "d", "e", "f"]}}""", null },
        { "card.topCategories 0", """{"card": {"slices": ["contract"], "topCategories": 0}}""", null },
        { "card.slices duplicate", """{"card": {"slices": ["contract", "contract"]}}""", null },
        { "card.bogus", """{"card": {"slice": ["contract"]}}""", null },
        { "featureViews.0.view", """{"featureViews": [{"view": "Customer-Profile"}]}""", null },
        { "featureViews.0.features empty", """{"featureViews": [{"view": "customer_profile", "features": []}]}""", null },
        { "featureViews.0 unknown key", """{"featureViews": [{"view": "customer_profile", "columns": ["plan"]}]}""", null },
        { "featureViews named twice", """{"featureViews": [{"view": "a"}, {"view": "a"}]}""", "uniqueItems compares whole items, not one property of them" },

        { "search without space", """{"search": {"trials": 5}}""", null },
        { "search.trials 201", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.01, "max": 0.3}}, "trials": 201}}""", null },
        { "search.concurrency 17", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.01, "max": 0.3}}, "concurrency": 17}}""", null },
        { "search.strategy", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.01, "max": 0.3}}, "strategy": "grid"}}""", null },
        { "search.metric of another task", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.01, "max": 0.3}}, "metric": "rmse"}}""", null },
        { "search.folds 1", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.01, "max": 0.3}}, "folds": 1}}""", null },
        { "search.minResource on random", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.01, "max": 0.3}}, "minResource": 5}}""", null },
        { "search choice without values", """{"search": {"space": {"numberOfLeaves": {"type": "choice"}}}}""", null },
        { "search uniform without max", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.01}}}}""", null },
        { "search logUniform min 0", """{"search": {"space": {"learningRate": {"type": "logUniform", "min": 0, "max": 0.3}}}}""", null },

        { "search of an unknown hyperparameter", """{"search": {"space": {"depth": {"type": "int", "min": 1, "max": 5}}}}""", "the keys are the trainer's hyperparameter names, which depend on trainer.type beside it" },
        { "search range outside the hyperparameter's", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.01, "max": 3}}}}""", "the bounds depend on which hyperparameter the key names" },
        { "search min > max", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.3, "max": 0.01}}}}""", "compares two values of the document" },
        { "asha over numberOfTrees", """{"search": {"space": {"numberOfTrees": {"type": "int", "min": 10, "max": 100}}, "strategy": "asha"}}""", "depends on the strategy beside the space" },
        { "mlp asha over epochs", """{"trainer": {"type": "mlp"}, "search": {"space": {"epochs": {"type": "int", "min": 5, "max": 50}}, "strategy": "asha"}}""", "depends on the strategy and the trainer type beside the space" },
        { "mlp search over replicas", """{"trainer": {"type": "mlp"}, "search": {"space": {"replicas": {"type": "int", "min": 1, "max": 4}}}}""", "the keys are the trainer's hyperparameter names, which depend on trainer.type beside it" },
        { "asha minResource ≥ numberOfTrees", """{"search": {"space": {"learningRate": {"type": "uniform", "min": 0.01, "max": 0.3}}, "strategy": "asha", "minResource": 500}}""", "compares two values of the document" },

        { "release.mode", """{"release": {"mode": "bluegreen"}}""", null },
        { "release.steps over 100", """{"release": {"steps": [10, 150]}}""", null },
        { "release.steps not ending at 100", """{"release": {"steps": [10, 50]}}""", null },
        { "release.guardrails.maxErrorRate", """{"release": {"guardrails": {"maxErrorRate": 1.5}}}""", null },
        { "release.guardrails.minLiveQuality without min", """{"release": {"guardrails": {"minLiveQuality": {"metric": "auc"}}}}""", null },
        { "release.approval", """{"release": {"approval": "maybe"}}""", null },
        { "release null", """{"release": null}""", null },
        { "release.mode hold over 100", """{"release": {"mode": "hold", "steps": [120]}}""", null },

        { "release.steps decreasing", """{"release": {"steps": [50, 10, 100]}}""", "order between items of an array" },
        { "release.bakeTime zero", """{"release": {"bakeTime": "00:00:00"}}""", "a minimum on a duration string" },
        { "release live quality metric of another task", """{"release": {"guardrails": {"minLiveQuality": {"metric": "rmse", "min": 1}}}}""", "depends on the task elsewhere in the document" },
        { "duplicate feature names", """{"features.1.name": "tenure_months"}""", "uniqueItems compares whole items, not one property of them" },
        { "feature named as the label", """{"features.0.name": "churned"}""", "compares two values of the document" },
        { "min > max", """{"features.0.min": 200}""", "compares two values of the document" },
        { "missing token is a category", """{"missingValues": ["north"]}""", "compares two values of the document" },
        { "positiveClass is a missing token", """{"positiveClass": "NA"}""", "compares two values of the document" },
        { "minimumRows.holdout > total", """{"minimumRows": {"total": 10, "holdout": 20}}""", "compares two values of the document" },
        { "driftSchedule hour 25", """{"monitoring": {"driftSchedule": "0 0 25 * * *"}}""", "field ranges of NCRONTAB: the schema checks six fields, NCrontab parses them" },
        { "drift.window of 100 years", """{"monitoring": {"drift": {"window": "36500.00:00:00"}}}""", "a maximum on a duration string (the description states it)" },
        { "qualityWindows zero", """{"monitoring": {"qualityWindows": ["00:00:00"]}}""", "a minimum on a duration string" },
        { "drift override of no feature", """{"monitoring": {"drift": {"features": {"tenure": {"method": "ks"}}}}}""", "keys must name features declared elsewhere in the document" },
        { "ordered method on a categorical", """{"monitoring": {"drift": {"features": {"contract": {"method": "wasserstein"}}}}}""", "depends on the type of the feature the key names" },
        { "p-value method threshold ≥ 1", """{"monitoring": {"drift": {"features": {"tenure_months": {"method": "ks", "threshold": 2}}}}}""", "depends on the method beside it" },
        { "card.slices numeric feature", """{"card": {"slices": ["tenure_months"]}}""", "depends on the type of the feature the name refers to" },
        { "card.slices unknown column", """{"card": {"slices": ["tenure"]}}""", "names must be features declared elsewhere in the document" },
        { "integer written 1e2", """{"minimumRows": {"total": 1e2}}""", "JSON Schema's integer is any number without a fraction; the platform's reader takes digits only" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Invalid_specs_fail_the_validator_and_the_schema_unless_a_reason_says_why_not(string name, string change, string? reason)
    {
        var json = Apply(change);
        var parsed = ModelSpecValidator.Parse(json);
        Assert.False(parsed.IsValid, $"{name}: the validator accepted it.");
        var schemaValid = Schema.Evaluate(JsonNode.Parse(json)).IsValid;
        if (reason is null)
        {
            Assert.False(schemaValid, $"{name}: the schema accepted it; the validator said {string.Join("; ", parsed.Problems)}.");
        }
        else
        {
            Assert.True(schemaValid, $"{name}: the schema rejects it now, so drop the reason '{reason}'.");
        }
    }

    [Fact]
    public void The_served_schema_is_the_file_in_the_repository()
    {
        Assert.Equal(File.ReadAllText(SchemaPath), ModelSpecSchema.Text);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", SchemaJson["$schema"]!.GetValue<string>());
    }

    [Fact]
    public void Samples_reference_the_schema_by_a_relative_path_that_exists()
    {
        foreach (var dir in Directory.GetDirectories(Path.Combine(Azurite.FindRoot(), "samples")))
        {
            var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "model.json")))!["$schema"]!.GetValue<string>();
            Assert.Equal(Path.GetFullPath(SchemaPath), Path.GetFullPath(Path.Combine(dir, reference)));
        }
    }

    /// <summary>Every key of every spec record is in the schema and nothing else is, object by object.</summary>
    [Theory]
    [InlineData(typeof(ModelSpec), "")]
    [InlineData(typeof(FeatureSpec), "$defs.feature")]
    [InlineData(typeof(TrainerSpec), "$defs.trainer")]
    [InlineData(typeof(HoldoutSpec), "properties.holdout")]
    [InlineData(typeof(GateSpec), "properties.gates")]
    [InlineData(typeof(MetricThreshold), "properties.gates.properties.thresholds.items")]
    [InlineData(typeof(ChampionComparison), "properties.gates.properties.comparison")]
    [InlineData(typeof(MinimumRowsSpec), "properties.minimumRows")]
    [InlineData(typeof(ModelCardSpec), "properties.card")]
    [InlineData(typeof(MonitoringSpec), "$defs.monitoring")]
    [InlineData(typeof(DriftSpec), "$defs.monitoring.properties.drift")]
    [InlineData(typeof(FeatureDriftOverride), "$defs.monitoring.properties.drift.properties.features.additionalProperties")]
    [InlineData(typeof(SearchSpec), "$defs.search")]
    [InlineData(typeof(SearchDimension), "$defs.searchDimension")]
    [InlineData(typeof(ReleaseSpec), "$defs.release")]
    [InlineData(typeof(ReleaseGuardrails), "$defs.release.properties.guardrails")]
    [InlineData(typeof(LiveQualityGuardrail), "$defs.release.properties.guardrails.properties.minLiveQuality.oneOf.0")]
    [InlineData(typeof(FeatureViewReference), "$defs.featureViewReference")]
    public void The_schema_has_the_keys_of_the_records(Type record, string at)
    {
        var node = At(at);
        Assert.False(node["additionalProperties"]!.GetValue<bool>());
        var keys = record == typeof(ModelSpec) ? ["$schema"] : Array.Empty<string>();
        var expected = PlatformJson.Options.GetTypeInfo(record).Properties
            .Where(p => p.Set is not null || p.AssociatedParameter is not null).Select(p => p.Name).Concat(keys).Order();
        Assert.Equal(expected, node["properties"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public void Enums_metrics_and_drift_methods_match()
    {
        Assert.Equal(ModelSpecShape.EnumNames(typeof(ModelTask)), Enum("properties.task"));
        Assert.Equal(ModelSpecShape.EnumNames(typeof(FeatureType)), Enum("$defs.feature.properties.type"));
        Assert.Equal(ModelSpecShape.EnumNames(typeof(UnknownCategoryPolicy)), Enum("$defs.feature.properties.unknownCategory"));
        Assert.Equal(ModelSpecShape.EnumNames(typeof(FeatureLogMode)), Enum("$defs.feature.properties.log"));
        Assert.Equal(ModelSpecShape.EnumNames(typeof(TrainerKind)), Enum("$defs.trainer.properties.type"));
        Assert.Equal(TrainerSpec.ComputeValues, Enum("$defs.trainer.properties.compute").OfType<string>());
        Assert.Equal(ModelSpecShape.EnumNames(typeof(SearchStrategy)), Enum("$defs.search.properties.strategy"));
        Assert.Equal(ModelSpecShape.EnumNames(typeof(SearchDirection)), Enum("$defs.search.properties.direction").OfType<string>());
        Assert.Equal(ModelSpecShape.EnumNames(typeof(SearchDistribution)), Enum("$defs.searchDimension.properties.type"));
        Assert.Equal(ModelSpecShape.EnumNames(typeof(ReleaseMode)), Enum("$defs.release.properties.mode"));
        Assert.Equal(ModelSpecShape.EnumNames(typeof(ReleaseApproval)), Enum("$defs.release.properties.approval"));
        Assert.Equal(MonitoringSpecValidator.DriftMethodNames, Enum("$defs.monitoring.properties.drift.properties.features.additionalProperties.properties.method").OfType<string>());
        foreach (var task in System.Enum.GetValues<ModelTask>())
        {
            var name = task.ToString().ToLowerInvariant();
            Assert.Equal(MetricNames.For(task), Enum($"$defs.metricOf.{name}").OfType<string>());
        }

        Assert.Equal(System.Enum.GetValues<ModelTask>().SelectMany(MetricNames.For).Distinct().Order(), Enum("$defs.metric").OfType<string>().Order());
    }

    [Fact]
    public void Maxima_match_the_validators_limits()
    {
        Assert.Equal(ModelSpecLimits.MaxFeatures, At("properties.features")["maxItems"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxMissingValues, At("properties.missingValues")["maxItems"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxClasses, At("properties.classes")["maxItems"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxCategoriesPerFeature, At("$defs.feature.properties.categories")["maxItems"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxNameLength, At("$defs.name")["maxLength"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxCardTextLength, At("$defs.cardText")["maxLength"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxNameLength, At("properties.owner")["maxLength"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxCardSlices, At("properties.card.properties.slices")["maxItems"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxCardTopCategories, At("properties.card.properties.topCategories")["maximum"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxGateThresholds, At("properties.gates.properties.thresholds")["maxItems"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxQualityWindows, At("$defs.monitoring.properties.qualityWindows")["maxItems"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxMinWindowRows, At("$defs.monitoring.properties.drift.properties.minWindowRows")["maximum"]!.GetValue<int>());
        var trees = "$defs.trainer.allOf.1.then.properties.hyperparameters.properties";
        Assert.Equal(ModelSpecLimits.MaxNumberOfTrees, At($"{trees}.numberOfTrees")["maximum"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxNumberOfLeaves, At($"{trees}.numberOfLeaves")["maximum"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxMinimumExampleCountPerLeaf, At($"{trees}.minimumExampleCountPerLeaf")["maximum"]!.GetValue<int>());
        var linear = "$defs.trainer.allOf.2.then.properties.hyperparameters.properties";
        Assert.Equal(ModelSpecLimits.MaxIterations, At($"{linear}.maximumNumberOfIterations")["maximum"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxRegularization, At($"{linear}.l2Regularization")["maximum"]!.GetValue<double>());

        Assert.Equal(ModelSpecLimits.MaxReplicas, At("$defs.trainer.allOf.3.then.properties.hyperparameters.properties.replicas")["maximum"]!.GetValue<int>());
        Assert.Equal(ModelSpecLimits.MaxRoundSteps, At("$defs.trainer.allOf.3.then.properties.hyperparameters.properties.roundSteps")["maximum"]!.GetValue<int>());

        Assert.Equal(SearchSpecLimits.MaxTrials, At("$defs.search.properties.trials")["maximum"]!.GetValue<int>());
        Assert.Equal(SearchSpecLimits.MaxConcurrency, At("$defs.search.properties.concurrency")["maximum"]!.GetValue<int>());
        Assert.Equal(SearchSpecLimits.MaxFolds, At("$defs.search.properties.folds")["maximum"]!.GetValue<int>());
        Assert.Equal(SearchSpecLimits.MaxReductionFactor, At("$defs.search.properties.reductionFactor")["maximum"]!.GetValue<int>());
        Assert.Equal(SearchSpecLimits.MaxChoiceValues, At("$defs.searchDimension.properties.values")["maxItems"]!.GetValue<int>());

        // Hyperparameter names per trainer are the validator's sets.
        Assert.Equal(TrainerSpec.TreeHyperparameters.Order(), At(trees).AsObject().Select(p => p.Key).Order());
        Assert.Equal(TrainerSpec.LinearHyperparameters.Order(), At(linear).AsObject().Select(p => p.Key).Order());
        Assert.Equal(TrainerSpec.MlpHyperparameters.Order(), At("$defs.trainer.allOf.3.then.properties.hyperparameters.properties").AsObject().Select(p => p.Key).Order());
    }

    [Theory]
    [InlineData("06:00:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("00:00:00.200", true)]
    [InlineData("6:00:00", true)]
    [InlineData("6h", false)]
    [InlineData("PT6H", false)]
    [InlineData("-06:00:00", false)]
    [InlineData("06:00", false)]
    [InlineData("1.06:00", false)]
    [InlineData("6", false)]
    [InlineData("23:59:59.9999999", true)]
    [InlineData("365.00:00:00", true)]
    [InlineData("1.2", false)]
    [InlineData("24:00:00", false)]
    [InlineData("00:60:00", false)]
    [InlineData(" 06:00:00", false)]
    public void Durations_read_the_same_in_both(string duration, bool valid)
    {
        var json = Apply("{\"monitoring\": {\"feedbackWindow\": \"" + duration + "\"}}");
        Assert.Equal(valid, ModelSpecValidator.Parse(json).IsValid);
        Assert.Equal(valid, Schema.Evaluate(JsonNode.Parse(json)).IsValid);
    }

    [Fact]
    public void The_duration_pattern_is_the_validators()
    {
        Assert.Equal(ModelSpecShape.DurationRegex, At("$defs.duration")["pattern"]!.GetValue<string>());
    }

    /// <summary>The sample with one change: keys are dotted paths into it (digits index arrays); MANY_* are generated.</summary>
    private static string Apply(string change)
    {
        var spec = JsonNode.Parse(SampleJson)!.AsObject();
        if (change == "MANY_FEATURES")
        {
            spec["features"] = new JsonArray([.. Enumerable.Range(0, ModelSpecLimits.MaxFeatures + 1).Select(i => (JsonNode)new JsonObject { ["name"] = $"f{i}", ["type"] = "numeric" })]);
            return spec.ToJsonString();
        }

        if (change == "MANY_TOKENS")
        {
            spec["missingValues"] = new JsonArray([.. Enumerable.Range(0, ModelSpecLimits.MaxMissingValues + 1).Select(i => (JsonNode)JsonValue.Create($"t{i}"))]);
            return spec.ToJsonString();
        }

        foreach (var (path, value) in JsonNode.Parse(change)!.AsObject())
        {
            var parts = path.Split('.');
            JsonNode parent = spec;
            foreach (var part in parts[..^1])
            {
                parent = int.TryParse(part, out var i) ? parent[i]! : parent[part] ??= new JsonObject();
            }

            if (int.TryParse(parts[^1], out var index)) parent[index] = value?.DeepClone();
            else parent[parts[^1]] = value?.DeepClone();
        }

        return spec.ToJsonString();
    }

    private static JsonNode At(string path)
    {
        JsonNode node = SchemaJson;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = (int.TryParse(part, out var i) ? node[i] : node[part]) ?? throw new KeyNotFoundException($"{path}: no '{part}' in the schema.");
        }

        return node;
    }

    private static List<object?> Enum(string path) =>
        [.. At(path)["enum"]!.AsArray().Select(v => v is null ? null : (object?)v.GetValue<string>())];

    private static string SchemaErrors(EvaluationResults result) =>
        string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
}
