using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Bench;

/// <summary>
/// One dataset of the sweep area: its CSV on disk (what the pipeline is dropped), the spec, the rows as the ingest
/// contract parses them (what the in-process runs get). The spec carries the sweep's <c>search</c>
/// (<see cref="SweepSearchSpaces"/>), whose metric every row is judged by.
/// </summary>
internal sealed record SweepDataset(string Name, string CsvPath, string SpecJson, ModelSpec Spec, TabularDataset Data)
{
    /// <summary>Rows of the generated multiclass and regression sets: each default fit takes seconds on one core.</summary>
    public const int MulticlassRows = 60_000;
    public const int RegressionRows = 100_000;

    /// <summary>The metric the sweep ranks trials by and the rows are compared on.</summary>
    public string Metric => Spec.Search!.MetricFor(Spec);

    public int Trials => Spec.Search!.Trials;

    public static SweepDataset Churn(string root, JsonObject search) =>
        Load("churn 50k (binary)", Path.Combine(root, "samples", "churn", "churn.csv"), File.ReadAllText(Path.Combine(root, "samples", "churn", "model.json")), search);

    public static SweepDataset Synthetic1M(JsonObject search)
    {
        var (csv, specJson, _) = TrainingSizeBench.Prepare(1_000_000);
        return Load("synthetic 1M (binary)", csv, specJson, search);
    }

    public static SweepDataset Multiclass(JsonObject search) =>
        Load("plans 60k (multiclass, 5 classes)", Generate("multiclass", MulticlassDataset.CsvName, p => MulticlassDataset.Write(p, MulticlassRows, seed: 11)),
            MulticlassDataset.Spec, search);

    public static SweepDataset Regression(JsonObject search) =>
        Load("demand 100k (regression)", Generate("regression", RegressionDataset.CsvName, p => RegressionDataset.Write(p, RegressionRows, seed: 13)),
            RegressionDataset.Spec, search);

    /// <summary>The spec without its search and with the platform's default hyperparameters: the default LightGBM row.</summary>
    public ModelSpec DefaultSpec => Spec with { Search = null, Trainer = Spec.Trainer with { Hyperparameters = null } };

    /// <summary>The CSV's SHA-256 (lowercase hex), which names the pipeline's run for a drop.</summary>
    public string Sha256()
    {
        using var file = File.OpenRead(CsvPath);
        return ContentHash.Sha256Hex(file);
    }

    // Written once per machine under the temp folder, like the 1M set, and reused.
    private static string Generate(string name, string file, Action<string> write)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"serverless-bench-sweep-{name}");
        var csv = Path.Combine(dir, file);
        var done = Path.Combine(dir, "complete");
        if (!File.Exists(done))
        {
            Directory.CreateDirectory(dir);
            write(csv);
            File.WriteAllText(done, DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture));
        }

        return csv;
    }

    private static SweepDataset Load(string name, string csv, string baseSpecJson, JsonObject search)
    {
        var document = JsonNode.Parse(baseSpecJson)!.AsObject();
        document["search"] = search;
        var specJson = document.ToJsonString();
        var parsed = ModelSpecValidator.Parse(specJson);
        var spec = parsed.Problems.Count == 0 && parsed.Spec is { } s ? s
            : throw new InvalidOperationException($"The spec of {name} does not validate: {string.Join("; ", parsed.Problems.Select(p => $"{p.Path}: {p.Message}"))}");
        using var file = File.OpenRead(csv);
        var result = DatasetContract.Validate(file, Path.GetFileName(csv), spec, CancellationToken.None);
        return new SweepDataset(name, csv, specJson, spec, result.Data ?? throw new InvalidOperationException($"{name} was quarantined."));
    }
}
