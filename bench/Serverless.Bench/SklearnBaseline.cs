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
    internal const string Python = "/usr/bin/python3";

    public static IReadOnlyList<Measurement> Run(ChurnData data, string area)
    {
        const string metric = "sklearn HistGradientBoosting fit";
        var fit = Fit(data.Data, data.Spec, fits: 3, TimeSpan.FromMinutes(3));
        return fit.Skipped is { } why
            ? [Measurement.Skipped(area, metric, why)]
            : [new Measurement(area, metric, fit.Seconds, " s", Note: $"median of 3 fits, 1 OpenMP thread, holdout AUC {fit.Auc:F4}, scikit-learn {fit.Version}")];
    }

    /// <summary>The fit's median seconds over <paramref name="fits"/> and its holdout AUC, or why it was skipped.</summary>
    public sealed record Result(double Seconds, double Auc, string? Version, string? Skipped);

    /// <summary>HistGradientBoosting on the platform's own train/holdout split of <paramref name="data"/>, the spec's tree hyperparameters.</summary>
    public static Result Fit(TabularDataset data, ModelSpec spec, int fits, TimeSpan timeout)
    {
        if (!File.Exists(Python) || Exec("-c \"import sklearn, pandas\"", TimeSpan.FromMinutes(1)).Code != 0)
        {
            return new(0, 0, null, $"{Python} has no scikit-learn/pandas (apt-get install python3-sklearn python3-pandas)");
        }

        var dir = Directory.CreateTempSubdirectory("bench-hgb-");
        try
        {
            var split = HoldoutSplit.Create(data.RowCount, spec.Holdout);
            var train = Path.Combine(dir.FullName, "train.csv");
            var holdout = Path.Combine(dir.FullName, "holdout.csv");
            WriteCsv(data.Select(split.TrainRows), spec, train);
            WriteCsv(data.Select(split.HoldoutRows), spec, holdout);
            var categorical = string.Join(",", spec.Features.Where(f => f.Type == FeatureType.Categorical).Select(f => f.Name));
            var t = spec.Trainer;
            var script = Path.Combine(AppContext.BaseDirectory, "hgb_baseline.py");
            var (code, output) = Exec($"\"{script}\" \"{train}\" \"{holdout}\" {spec.Label} \"{categorical}\" {Hyper(t, "numberOfTrees", 100)} {Hyper(t, "numberOfLeaves", 31)} {Hyper(t, "learningRate", 0.1)} {Hyper(t, "minimumExampleCountPerLeaf", 20)} {fits}", timeout);
            if (code != 0) return new(0, 0, null, "script failed: " + output.Trim());

            using var json = JsonDocument.Parse(output);
            return new(json.RootElement.GetProperty("fit_seconds").GetDouble(), json.RootElement.GetProperty("auc").GetDouble(), json.RootElement.GetProperty("sklearn").GetString(), null);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // Falls back to ML.NET's LightGBM defaults when the spec leaves a hyperparameter out.
    private static string Hyper(TrainerSpec trainer, string name, double fallback) =>
        (trainer.Get(name) ?? fallback).ToString(CultureInfo.InvariantCulture);

    internal static void WriteCsv(TabularDataset rows, ModelSpec spec, string path)
    {
        var columns = spec.Features.Select(f => f.Name).Append(spec.Label).ToArray();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(',', columns));
        writer.Write('\n');
        for (var i = 0; i < rows.RowCount; i++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                if (c > 0) writer.Write(',');
                var column = rows[columns[c]];
                if (column.Kind == ColumnKind.Text) writer.Write(column.TextValues[i]);
                else if (!float.IsNaN(column.FloatValues[i])) writer.Write(column.FloatValues[i].ToString(CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }

    internal static (int Code, string Output) Exec(string arguments, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Python, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };

        // One OpenMP thread: its threads spin at every barrier, and on a busy 2-core machine a fit then took 24 s
        // instead of 1.7 s. LightGBM in ML.NET keeps its default (all cores), so the comparison favours ML.NET
        // on an idle machine.
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}");
        }

        return (process.ExitCode, process.ExitCode == 0 ? stdout.Result : stderr.Result);
    }
}
