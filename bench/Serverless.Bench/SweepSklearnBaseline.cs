using System.Globalization;
using System.Text.Json;
using Serverless.Core.Evaluation;
using Serverless.Core.Specs;
using Serverless.Core.Training;

namespace Serverless.Bench;

/// <summary>
/// scikit-learn's HistGradientBoosting with its default hyperparameters (<c>hgb_defaults.py</c>) on the platform's own
/// train/holdout split of a sweep dataset; its holdout predictions come back as a CSV and are scored by the platform's
/// <see cref="ModelEvaluator"/>, so both sides use one metric implementation.
/// </summary>
internal static class SweepSklearnBaseline
{
    /// <summary>The holdout metrics, fit seconds and boosting iterations (early stopping is on by default), or why it was skipped.</summary>
    public sealed record Result(IReadOnlyDictionary<string, double> Metrics, double Seconds, int Iterations, string? Version, string? Skipped);

    public static Result Fit(SweepDataset dataset, TimeSpan timeout)
    {
        var (spec, data) = (dataset.Spec, dataset.Data);
        if (!File.Exists(SklearnBaseline.Python) || SklearnBaseline.Exec("-c \"import sklearn, pandas\"", TimeSpan.FromMinutes(1)).Code != 0)
        {
            return Skip($"{SklearnBaseline.Python} has no scikit-learn/pandas (apt-get install python3-sklearn python3-pandas)");
        }

        var dir = Directory.CreateTempSubdirectory("bench-hgb-defaults-");
        try
        {
            var split = HoldoutSplit.Create(data.RowCount, spec.Holdout);
            var holdoutRows = data.Select(split.HoldoutRows);
            var train = Path.Combine(dir.FullName, "train.csv");
            var holdout = Path.Combine(dir.FullName, "holdout.csv");
            var predictions = Path.Combine(dir.FullName, "predictions.csv");
            SklearnBaseline.WriteCsv(data.Select(split.TrainRows), spec, train);
            SklearnBaseline.WriteCsv(holdoutRows, spec, holdout);
            var categorical = string.Join(",", spec.Features.Where(f => f.Type == FeatureType.Categorical).Select(f => f.Name));
            var task = JsonSerializer.Serialize(spec.Task).Trim('"');
            var script = Path.Combine(AppContext.BaseDirectory, "hgb_defaults.py");
            var (code, output) = SklearnBaseline.Exec($"\"{script}\" \"{train}\" \"{holdout}\" \"{predictions}\" {spec.Label} {task} \"{categorical}\"", timeout);
            if (code != 0) return Skip("script failed: " + output.Trim());

            var (outputs, classes) = ReadPredictions(predictions, spec.Task);
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            return new(ModelEvaluator.Evaluate(spec.Task, holdoutRows[spec.Label], outputs, classes),
                root.GetProperty("fit_seconds").GetDouble(), root.GetProperty("iterations").GetInt32(), root.GetProperty("sklearn").GetString(), null);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Result Skip(string why) => new(new Dictionary<string, double>(), 0, 0, null, why);

    // Binary: P(true) per row; regression: the prediction; multiclass: one probability per class (the header), the
    // predicted label being the most probable class, as the platform's ONNX output gives it.
    private static (List<ModelOutputRow> Rows, string[]? Classes) ReadPredictions(string path, ModelTask task)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()!.Split(',');
        var rows = new List<ModelOutputRow>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var values = line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            rows.Add(task switch
            {
                ModelTask.Binary => new ModelOutputRow(values[0] >= ModelEvaluator.Threshold ? "true" : "false", values[0], null),
                ModelTask.Regression => new ModelOutputRow(null, values[0], null),
                _ => new ModelOutputRow(header[Array.IndexOf(values, values.Max())], null, values),
            });
        }

        return (rows, task == ModelTask.Multiclass ? header : null);
    }
}
