using System.Diagnostics;
using System.Globalization;
using Serverless.Core.Datasets;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Core.Training.Mlp;

/// <summary>
/// Fits an MLP from a spec and a dataset: the same holdout as <see cref="MlNetTrainer"/> (so evaluation compares
/// like with like), a validation slice of the training split for early stopping, and an ONNX export with all
/// preprocessing inside the graph.
/// </summary>
public sealed class MlpTrainer
{
    /// <summary>Share of the training split held back for early stopping (never the holdout).</summary>
    public const double ValidationFraction = 0.1;

    /// <param name="onEpoch">Called after each epoch with its losses (the GPU trainer logs them).</param>
    /// <param name="exchange">This process's link to the run's other replicas (spec hyperparameter <c>replicas</c> &gt; 1).</param>
    public TrainingResult Train(ModelSpec spec, TabularDataset data, IMlpCompute compute, CancellationToken ct = default, Action<MlpEpoch>? onEpoch = null, IReplicaExchange? exchange = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(compute);
        MlNetTrainer.CheckColumns(spec, data);
        var hp = MlpHyperparameters.From(spec.Trainer);
        var seed = spec.Holdout.Seed;

        var split = HoldoutSplit.Create(data.RowCount, spec.Holdout);
        var train = data.Select(split.TrainRows);
        var holdout = data.Select(split.HoldoutRows);

        var sw = Stopwatch.StartNew();
        var (model, fit, validationRows) = Fit(spec, train, compute, ct, onEpoch, exchange);
        sw.Stop();
        var classes = model.Classes;

        var parameters = new Dictionary<string, string>(hp.Report(), StringComparer.Ordinal)
        {
            ["trainer"] = $"Mlp{spec.Task}",
            ["device"] = compute.Device,
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["epochsRun"] = fit.EpochsRun.ToString(CultureInfo.InvariantCulture),
            ["bestEpoch"] = fit.BestEpoch.ToString(CultureInfo.InvariantCulture),
            ["validationLoss"] = fit.ValidationLoss[fit.BestEpoch - 1].ToString("R", CultureInfo.InvariantCulture),
            ["validationRows"] = validationRows.ToString(CultureInfo.InvariantCulture),
            ["workers"] = fit.Workers.ToString(CultureInfo.InvariantCulture),

            // Steady state: the first epoch also pays JIT (and CUDA kernel compilation).
            ["secondsPerEpoch"] = (fit.EpochTimes.Count > 1 ? fit.EpochTimes.Skip(1) : fit.EpochTimes).Average(t => t.TotalSeconds).ToString("F3", CultureInfo.InvariantCulture),
            ["replicas"] = (exchange?.Replicas ?? 1).ToString(CultureInfo.InvariantCulture),
        };

        var labels = classes ?? MlNetTrainer.BinaryClassNames(spec, data);
        return new TrainingResult
        {
            Onnx = OnnxModelMetadata.Write(MlpOnnxExporter.Export(model, spec), spec.Task, labels),
            Mlp = model,
            Holdout = holdout,
            HoldoutRows = split.HoldoutRows,
            TrainRows = train.RowCount,
            FitTime = sw.Elapsed,
            TrainerParameters = parameters,
            InputSchema = MlNetTrainer.InputSchema(spec),
            ClassLabels = labels,
            LossCurve = [.. fit.TrainLoss.Select((loss, i) => new EpochLoss(i + 1, loss, fit.ValidationLoss[i], fit.EpochTimes[i].TotalSeconds))],
        };
    }

    /// <summary>
    /// Fits the network on <paramref name="train"/> (no holdout split, no export): what <see cref="Train"/> exports, and
    /// what a sweep's trials score on their validation rows. Early stopping uses a seeded slice of <paramref name="train"/>.
    /// </summary>
    internal static (MlpModel Model, MlpFitResult Fit, int ValidationRows) Fit(ModelSpec spec, TabularDataset train, IMlpCompute compute, CancellationToken ct, Action<MlpEpoch>? onEpoch = null, IReplicaExchange? exchange = null)
    {
        var hp = MlpHyperparameters.From(spec.Trainer);
        var seed = spec.Holdout.Seed;
        var classes = spec.Task == ModelTask.Multiclass ? MlNetTrainer.ClassLabels(spec, train) : null;
        var (rows, targets) = Targets(spec, train, classes);
        var labelled = train.Select(rows);
        float targetMean = 0, targetStd = 1;
        if (spec.Task == ModelTask.Regression) (targetMean, targetStd) = Standardise(targets);

        var pre = MlpPreprocessor.Fit(spec, labelled);
        var x = pre.Transform(labelled);
        var (fitRows, validationRows) = ValidationSplit(labelled.RowCount, seed);
        var layout = new MlpLayout(pre.Width, hp.HiddenLayers, hp.HiddenUnits, classes?.Length ?? 1, spec.Task switch
        {
            ModelTask.Binary => MlpLoss.BinaryCrossEntropy,
            ModelTask.Multiclass => MlpLoss.SoftmaxCrossEntropy,
            _ => MlpLoss.MeanSquaredError,
        });
        var fit = MlpFit.Run(compute, layout, hp, seed,
            Gather(x, pre.Width, fitRows), Gather(targets, 1, fitRows),
            Gather(x, pre.Width, validationRows), Gather(targets, 1, validationRows), ct, onEpoch, exchange);
        return (new MlpModel(spec.Task, pre, layout, fit.Parameters, targetMean, targetStd, classes), fit, validationRows.Length);
    }

    /// <summary>Rows with a usable label, and their encoded targets (binary 0/1, multiclass class index, regression value).</summary>
    private static (int[] Rows, float[] Targets) Targets(ModelSpec spec, TabularDataset train, string[]? classes)
    {
        List<int> rows = [];
        List<float> targets = [];
        if (classes is not null)
        {
            var index = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);
            var labels = train[spec.Label].TextValues;
            for (var i = 0; i < labels.Length; i++)
            {
                if (labels[i] is not { } label || !index.TryGetValue(label, out var k)) continue;
                rows.Add(i);
                targets.Add(k);
            }
        }
        else
        {
            var labels = train[spec.Label].FloatValues;
            for (var i = 0; i < labels.Length; i++)
            {
                if (float.IsNaN(labels[i])) continue;
                rows.Add(i);
                targets.Add(spec.Task == ModelTask.Binary ? (labels[i] > 0.5f ? 1 : 0) : labels[i]);
            }
        }

        return rows.Count > 0 ? ([.. rows], [.. targets]) : throw new ArgumentException("No training rows with a label.");
    }

    private static (float Mean, float Std) Standardise(float[] y)
    {
        var mean = y.Average(v => (double)v);
        var std = Math.Sqrt(y.Average(v => (v - mean) * (v - mean)));
        var (m, s) = ((float)mean, std > 1e-6 ? (float)std : 1f);
        for (var i = 0; i < y.Length; i++) y[i] = (y[i] - m) / s;
        return (m, s);
    }

    /// <summary>A seeded, sorted slice of the training rows for early stopping; none below 10 rows.</summary>
    private static (int[] Fit, int[] Validation) ValidationSplit(int rows, int seed)
    {
        if (rows < 10) return (Enumerable.Range(0, rows).ToArray(), []);
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed + 1).Shuffle(order);
        var count = (int)Math.Round(rows * ValidationFraction);
        var validation = order[..count];
        var fit = order[count..];
        Array.Sort(validation);
        Array.Sort(fit);
        return (fit, validation);
    }

    private static float[] Gather(float[] source, int width, int[] rows)
    {
        var dst = new float[rows.Length * width];
        for (var i = 0; i < rows.Length; i++) source.AsSpan(rows[i] * width, width).CopyTo(dst.AsSpan(i * width, width));
        return dst;
    }
}
