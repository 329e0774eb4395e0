using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Features;
using Serverless.Core.Specs;
using Serverless.Core.Training.Mlp;

namespace Serverless.Core.Training.Sweeps;

/// <summary>
/// Scores trial settings on validation rows carved from the run's TRAINING split (the holdout is never seen: it stays
/// for the gate): one validation split of <see cref="ValidationFraction"/>, or k folds with <c>search.folds</c>. The
/// splits are built once per evaluator, so a process that keeps one (see <see cref="SweepDataCache"/>) fits trials
/// without re-reading or re-splitting the data. Thread-safe: each trial fits with its own ML.NET context, or (mlp) its
/// own compute from the factory.
/// </summary>
public sealed class TrialEvaluator
{
    /// <summary>The share of the training split a trial is validated on without folds.</summary>
    public const double ValidationFraction = 0.2;

    private readonly ModelSpec _spec;
    private readonly string _metric;
    private readonly (TabularDataset Train, TabularDataset Valid)[] _folds;
    private readonly Func<IMlpCompute> _compute;

    private TrialEvaluator(ModelSpec spec, (TabularDataset, TabularDataset)[] folds, Func<IMlpCompute> compute)
    {
        _spec = spec;
        _metric = spec.Search!.MetricFor(spec);
        _folds = folds;
        _compute = compute;
    }

    /// <summary>Rows of the training split (all folds together).</summary>
    public int TrainingRows => _folds[0].Train.RowCount + _folds[0].Valid.RowCount;

    /// <param name="spec">The run's spec, with its search.</param>
    /// <param name="data">The run's whole dataset snapshot; the holdout is split off exactly as the train step does.</param>
    /// <param name="compute">mlp: a fresh compute per fit (the trainer job's GPU when it has one); default plain C#.</param>
    public static TrialEvaluator Create(ModelSpec spec, TabularDataset data, Func<IMlpCompute>? compute = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        var search = spec.Search ?? throw new ArgumentException("The spec has no search.", nameof(spec));
        MlNetTrainer.CheckColumns(spec, data);
        var training = HoldoutSplit.Create(data.RowCount, spec.Holdout).TrainRows;
        var folds = search.Folds is { } k ? Folds(training, k, search.Seed) : [Validation(training, search.Seed)];
        return new TrialEvaluator(spec, [.. folds.Select(f => (data.Select(f.Train), data.Select(f.Valid)))], compute ?? (() => new CpuMlpCompute()));
    }

    /// <summary>Fits the setting on each fold's training rows and returns the mean validation metric; a failed fit is a failed trial, not an exception.</summary>
    public TrialScore Evaluate(int trial, int rung, IReadOnlyDictionary<string, double> parameters, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var spec = SweepBook.WithParameters(_spec, parameters);
        try
        {
            var sum = 0.0;
            var device = CpuMlpCompute.DeviceName;
            foreach (var (train, valid) in _folds)
            {
                ct.ThrowIfCancellationRequested();
                double metric;
                (metric, device) = spec.Trainer.Type == TrainerKind.Mlp ? ScoreMlp(spec, train, valid, ct) : (Score(spec, train, valid, ct), device);
                sum += metric;
            }

            var mean = sum / _folds.Length;
            return new TrialScore(trial, rung, double.IsFinite(mean) ? mean : null, Stopwatch.GetElapsedTime(started).TotalSeconds, Device: device);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A setting the trainer refuses (or that diverges) loses the trial, not the sweep.
            return new TrialScore(trial, rung, null, Stopwatch.GetElapsedTime(started).TotalSeconds, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>An mlp fit on one fold's training rows (epochs as the parameters say: ASHA's rung), scored on its validation rows.</summary>
    private (double Metric, string Device) ScoreMlp(ModelSpec spec, TabularDataset train, TabularDataset valid, CancellationToken ct)
    {
        using var compute = _compute();
        var (model, _, _) = MlpTrainer.Fit(spec, train, compute, ct);
        var outputs = model.Predict(valid);
        var k = model.OutputWidth;
        var rows = new ModelOutputRow[valid.RowCount];
        for (var i = 0; i < rows.Length; i++)
        {
            var z = outputs.AsSpan(i * k, k);
            rows[i] = spec.Task switch
            {
                ModelTask.Multiclass => new ModelOutputRow(model.Classes![z.IndexOf(Largest(z))], null, z.ToArray()),
                _ => new ModelOutputRow(null, z[0], null),
            };
        }

        return (ModelEvaluator.Evaluate(spec.Task, valid[spec.Label], rows, model.Classes)[_metric], compute.Device);
    }

    private static float Largest(ReadOnlySpan<float> z)
    {
        var max = float.NegativeInfinity;
        foreach (var v in z) max = Math.Max(max, v);
        return max;
    }

    private double Score(ModelSpec spec, TabularDataset train, TabularDataset valid, CancellationToken ct)
    {
        var fitted = MlNetTrainer.Fit(spec, train, ct);
        var features = new TabularDataView(new TabularDataset([.. valid.Columns.Where(c => c.Name != spec.Label)]));
        var output = fitted.Model.Transform(features);
        IReadOnlyList<ModelOutputRow> rows = spec.Task switch
        {
            ModelTask.Binary => [.. output.GetColumn<float>("Probability").Select(p => new ModelOutputRow(null, p, null))],
            ModelTask.Multiclass => [.. output.GetColumn<ReadOnlyMemory<char>>("PredictedLabel")
                .Zip(output.GetColumn<VBuffer<float>>("Score"), (l, s) => new ModelOutputRow(l.ToString(), null, s.DenseValues().ToArray()))],
            _ => [.. output.GetColumn<float>("Score").Select(p => new ModelOutputRow(null, p, null))],
        };
        return ModelEvaluator.Evaluate(spec.Task, valid[spec.Label], rows, fitted.Classes)[_metric];
    }

    private static (int[] Train, int[] Valid) Validation(int[] training, int seed)
    {
        var split = HoldoutSplit.Create(training.Length, new HoldoutSpec(ValidationFraction, seed));
        return ([.. split.TrainRows.Select(i => training[i])], [.. split.HoldoutRows.Select(i => training[i])]);
    }

    /// <summary>k folds of a seeded shuffle of the training rows; each fold's rows sorted (file order).</summary>
    private static IEnumerable<(int[] Train, int[] Valid)> Folds(int[] training, int k, int seed)
    {
        var order = (int[])training.Clone();
        var rng = new Random(seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        for (var f = 0; f < k; f++)
        {
            var valid = order.Where((_, i) => i % k == f).Order().ToArray();
            var train = order.Where((_, i) => i % k != f).Order().ToArray();
            yield return (train, valid);
        }
    }
}
