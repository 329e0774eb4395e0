using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;
using Serverless.Core.Training;

namespace Serverless.Bench;

/// <summary>
/// Side-by-side baseline: scikit-learn's HistGradientBoosting on the same train/holdout split (written to temp CSVs),
/// run with Debian's <c>/usr/bin/python3</c>. Skipped when that interpreter lacks scikit-learn or pandas.
/// </summary>
internal static class SklearnBaseline
{
    private const string Python = "/usr/bin/python3";

    public static IReadOnlyList<Measurement> Run(ChurnData data, string area)
    {
        const string metric = "sklearn HistGradientBoosting fit";
        if (!File.Exists(Python) || Exec("-c \"import sklearn, pandas\"").Code != 0)
        {
            return [Measurement.Skipped(area, metric, $"{Python} has no scikit-learn/pandas (apt-get install python3-sklearn python3-pandas)")];
        }

        var dir = Directory.CreateTempSubdirectory("bench-hgb-");
        try
        {
            var split = HoldoutSplit.Create(data.Data.RowCount, data.Spec.Holdout);
            var train = Path.Combine(dir.FullName, "train.csv");
            var holdout = Path.Combine(dir.FullName, "holdout.csv");
            WriteCsv(data.Data.Select(split.TrainRows), data.Spec, train);
            WriteCsv(data.Data.Select(split.HoldoutRows), data.Spec, holdout);
            var categorical = string.Join(",", data.Spec.Features.Where(f => f.Type == FeatureType.Categorical).Select(f => f.Name));
            var t = data.Spec.Trainer;
            var script = Path.Combine(AppContext.BaseDirectory, "hgb_baseline.py");
            var (code, output) = Exec($"\"{script}\" \"{train}\" \"{holdout}\" {data.Spec.Label} \"{categorical}\" {Hyper(t, "numberOfTrees", 100)} {Hyper(t, "numberOfLeaves", 31)} {Hyper(t, "learningRate", 0.1)} {Hyper(t, "minimumExampleCountPerLeaf", 20)}");
            if (code != 0) return [Measurement.Skipped(area, metric, "script failed: " + output.Trim())];

            using var json = JsonDocument.Parse(output);
            var fit = json.RootElement.GetProperty("fit_seconds").GetDouble();
            var auc = json.RootElement.GetProperty("auc").GetDouble();
            var version = json.RootElement.GetProperty("sklearn").GetString();
            return [new Measurement(area, metric, fit, " s", Note: $"median of 3 fits, 1 OpenMP thread, holdout AUC {auc:F4}, scikit-learn {version}")];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // Falls back to ML.NET's LightGBM defaults when the spec leaves a hyperparameter out.
    private static string Hyper(TrainerSpec trainer, string name, double fallback) =>
        (trainer.Get(name) ?? fallback).ToString(CultureInfo.InvariantCulture);

    private static void WriteCsv(TabularDataset rows, ModelSpec spec, string path)
    {
        var columns = spec.Features.Select(f => f.Name).Append(spec.Label).ToArray();
        var sb = new StringBuilder(rows.RowCount * 80).AppendJoin(',', columns).Append('\n');
        for (var i = 0; i < rows.RowCount; i++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                if (c > 0) sb.Append(',');
                var column = rows[columns[c]];
                if (column.Kind == ColumnKind.Text) sb.Append(column.TextValues[i]);
                else if (!float.IsNaN(column.FloatValues[i])) sb.Append(column.FloatValues[i].ToString(CultureInfo.InvariantCulture));
            }

            sb.Append('\n');
        }

        File.WriteAllText(path, sb.ToString());
    }

    private static (int Code, string Output) Exec(string arguments)
    {
        var psi = new ProcessStartInfo(Python, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };

        // One OpenMP thread: its threads spin at every barrier, and on a busy 2-core machine a fit then took 24 s
        // instead of 1.7 s. LightGBM in ML.NET keeps its default (all cores), so the comparison favours ML.NET
        // on an idle machine.
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 3 minutes");
        }

        return (process.ExitCode, process.ExitCode == 0 ? stdout.Result : stderr.Result);
    }
}
