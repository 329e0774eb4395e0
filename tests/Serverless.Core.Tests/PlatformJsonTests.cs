using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Core.Evaluation;
using Serverless.Core.Monitoring;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Monitoring.Drift;

namespace Serverless.Core.Tests;

/// <summary>
/// Every serialized shape that carries metrics writes an undefined value (NaN, ±Infinity) as null, through each way
/// the platform serializes it: blobs (<see cref="PlatformJson.Indented"/>), queue messages (<see cref="PlatformJson.Options"/>)
/// and HTTP bodies (a host's options after <see cref="PlatformJson.Apply"/>). Before, these wrote "NaN" strings, and a
/// serializer without named literals threw.
/// </summary>
public sealed class PlatformJsonTests
{
    private static readonly GateReport Gate = GateEvaluator.Evaluate(
        new ModelSpec
        {
            Task = ModelTask.Binary,
            Label = "y",
            Features = [new FeatureSpec("x", FeatureType.Numeric)],
            Gates = new GateSpec([new MetricThreshold(MetricNames.Auc, Min: 0.7)], new ChampionComparison(MetricNames.Auc, 0)),
        },
        new Dictionary<string, double> { [MetricNames.Auc] = double.NaN, [MetricNames.LogLoss] = double.PositiveInfinity },
        new Dictionary<string, double> { [MetricNames.Auc] = double.NegativeInfinity },
        championVersion: 1,
        championNote: null);

    public static TheoryData<string> Shapes() => [.. Payloads.Keys];

    private static readonly Dictionary<string, (object Value, string[] NullPaths)> Payloads = new()
    {
        ["gate report"] = (Gate, ["candidateMetrics.auc", "candidateMetrics.logLoss", "championMetrics.auc", "checks.0.actual"]),
        ["model card"] = (new ModelCard
        {
            Model = "m",
            RunId = "r",
            CreatedAt = DateTimeOffset.UnixEpoch,
            Task = ModelTask.Binary,
            Inputs = [new FeatureSpec("x", FeatureType.Numeric)],
            Trainer = TrainerKind.LightGbm,
            TrainerParameters = new Dictionary<string, string>(),
            Metrics = Gate.CandidateMetrics,
            Gate = Gate,
            DatasetSha256 = "d",
            SpecSha256 = "s",
            PlatformVersion = "1",
            FitSeconds = double.NaN,
        }, ["metrics.auc", "metrics.logLoss", "gate.candidateMetrics.auc", "fitSeconds"]),
        ["drift report"] = (new DriftReport("m", 1, DateTimeOffset.UnixEpoch, DriftStatus.NoDrift, 100, 0, null, double.NaN,
            [new FeatureDrift("x", "numeric", "ks", double.NaN, double.NaN, 0.05, false, double.PositiveInfinity, "none", 0, 0)], null),
            ["driftedShare", "features.0.statistic", "features.0.pValue", "features.0.psi"]),
        ["live quality"] = (new LiveQuality(1, TimeSpan.FromHours(1), 10, 0, double.NaN, new Dictionary<string, double> { [MetricNames.Accuracy] = double.NaN }),
            ["coverage", "metrics.accuracy"]),
        ["prediction"] = (new ModelOutputRow("true", float.NaN, [float.PositiveInfinity, 0.5f]), ["score", "probabilities.0"]),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Undefined_numbers_are_written_as_null_and_read_back(string shape)
    {
        var (value, nullPaths) = Payloads[shape];
        var http = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        PlatformJson.Apply(http);
        foreach (var options in new[] { PlatformJson.Options, PlatformJson.Indented, http })
        {
            var json = JsonSerializer.Serialize(value, value.GetType(), options);
            Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
            Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
            var root = JsonNode.Parse(json)!;
            foreach (var path in nullPaths)
            {
                var parent = path.Split('.')[..^1].Aggregate(root, (node, part) => int.TryParse(part, out var i) ? node[i]! : node[part]!);
                var last = path.Split('.')[^1];
                Assert.True(int.TryParse(last, out var index) ? parent[index] is null : parent.AsObject().ContainsKey(last) && parent[last] is null, $"{shape}: {path} should be null in {json}");
            }

            Assert.NotNull(JsonSerializer.Deserialize(json, value.GetType(), options));
        }
    }

    [Fact]
    public void A_gate_report_reads_back_undefined_metrics_as_NaN()
    {
        var back = JsonSerializer.Deserialize<GateReport>(JsonSerializer.Serialize(Gate, PlatformJson.Indented), PlatformJson.Options)!;

        Assert.True(double.IsNaN(back.CandidateMetrics[MetricNames.Auc]));
        Assert.True(double.IsNaN(back.Checks[0].Actual));
        Assert.Equal(Gate.Checks.Select(c => c.Detail), back.Checks.Select(c => c.Detail));
    }

    [Fact]
    public void Named_literals_written_by_earlier_versions_still_read()
    {
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>("""{"auc":"NaN","logLoss":"Infinity","rmse":null,"mae":0.5}""", PlatformJson.Options)!;

        Assert.True(double.IsNaN(metrics["auc"]));
        Assert.Equal(double.PositiveInfinity, metrics["logLoss"]);
        Assert.True(double.IsNaN(metrics["rmse"]));
        Assert.Equal(0.5, metrics["mae"]);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<double>("\"0.5\"", PlatformJson.Options));
    }

    [Fact]
    public void A_metrics_map_is_safe_under_a_serializer_that_is_not_PlatformJson()
    {
        // The task hub's serializer: default options, no named literals. The converter goes on the property.
        var converter = new JsonSerializerOptions { Converters = { new MetricsJsonConverter() } };
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double> { ["auc"] = double.NaN, ["f1"] = 0.25 };

        var json = JsonSerializer.Serialize(metrics, converter);

        Assert.Equal("""{"auc":null,"f1":0.25}""", json);
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(metrics)); // what the task hub did before
        var back = JsonSerializer.Deserialize<IReadOnlyDictionary<string, double>>(json, converter)!;
        Assert.True(double.IsNaN(back["auc"]));
        Assert.Equal(0.25, back["f1"]);
    }
}
