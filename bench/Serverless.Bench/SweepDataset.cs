using System.Globalization;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Bench;

/// <summary>
/// One dataset of the sweep area: its CSV on disk (what the pipeline is dropped), the spec, the rows as the ingest
/// contract parses them (what the in-process runs get), the metric the sweep optimises and the rows are judged by,
/// and the trial budget.
/// </summary>
internal sealed record SweepDataset(string Name, string CsvPath, string SpecJson, ModelSpec Spec, TabularDataset Data, string Metric, int Trials)
{
    /// <summary>Rows of the generated multiclass and regression sets: each default fit takes seconds on one core.</summary>
    public const int MulticlassRows = 60_000;
    public const int RegressionRows = 100_000;

    public static SweepDataset Churn(string root, int trials) =>
        Load("churn 50k (binary)", Path.Combine(root, "samples", "churn", "churn.csv"), File.ReadAllText(Path.Combine(root, "samples", "churn", "model.json")), MetricNames.Auc, trials);

    public static SweepDataset Synthetic1M(int trials)
    {
        var (csv, specJson, _) = TrainingSizeBench.Prepare(1_000_000);
        return Load("synthetic 1M (binary)", csv, specJson, MetricNames.Auc, trials);
    }

    public static SweepDataset Multiclass(int trials) =>
        Load("plans 60k (multiclass, 5 classes)", Generate("multiclass", MulticlassDataset.CsvName, p => MulticlassDataset.Write(p, MulticlassRows, seed: 11)),
            MulticlassDataset.Spec, MetricNames.LogLoss, trials);

    public static SweepDataset Regression(int trials) =>
        Load("demand 100k (regression)", Generate("regression", RegressionDataset.CsvName, p => RegressionDataset.Write(p, RegressionRows, seed: 13)),
            RegressionDataset.Spec, MetricNames.Rmse, trials);

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

    private static SweepDataset Load(string name, string csv, string specJson, string metric, int trials)
    {
        var spec = ModelSpecValidator.Parse(specJson).Spec ?? throw new InvalidOperationException($"The spec of {name} does not parse.");
        using var file = File.OpenRead(csv);
        var result = DatasetContract.Validate(file, Path.GetFileName(csv), spec, CancellationToken.None);
        return new SweepDataset(name, csv, specJson, spec, result.Data ?? throw new InvalidOperationException($"{name} was quarantined."), metric, trials);
    }
}
