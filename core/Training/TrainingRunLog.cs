using System.Globalization;
using Microsoft.Extensions.Logging;
using Serverless.Core.Datasets;
using Serverless.Core.Specs;

namespace Serverless.Core.Training;

/// <summary>What the train step tells the run's log, the same from the activity and the trainer job: the training set, the fit, the holdout.</summary>
public static class TrainingRunLog
{
    /// <summary>Features named one by one up to this many; the spec has the rest.</summary>
    private const int NamedFeatures = 20;

    public static void LogTrainingSet(this ILogger logger, ModelSpec spec, TabularDataset data)
    {
        var features = spec.Features;
        var named = string.Join(", ", features.Take(NamedFeatures).Select(f => $"{f.Name} ({Describe(f)})"));
        logger.LogInformation("Training set: {Rows} rows, {Features} features, label {Label} ({Task}); holdout {Fraction:P0} (seed {Seed}). Features: {Named}{More}",
            data.RowCount, features.Count, spec.Label, spec.Task, spec.Holdout.Fraction, spec.Holdout.Seed, named,
            features.Count > NamedFeatures ? $" and {features.Count - NamedFeatures} more" : "");
    }

    public static void LogTrained(this ILogger logger, TrainingRecord record)
    {
        logger.LogInformation("Fitted on {TrainRows} rows in {Seconds:F2} s on {Device}: {Parameters}",
            record.TrainRows, record.FitSeconds, record.Device, string.Join(", ", record.TrainerParameters.Select(p => $"{p.Key}={p.Value}")));
        if (record.LossCurve is { Count: > 0 } curve)
        {
            var best = curve.MinBy(e => e.ValidationLoss)!;
            logger.LogInformation("Loss curve: {Epochs} epochs; best validation loss {Loss:F4} at epoch {Epoch}{Stop}",
                curve.Count, best.ValidationLoss, best.Epoch, best.Epoch < curve[^1].Epoch ? $" (kept; training stopped at epoch {curve[^1].Epoch})" : "");
        }

        if (record.HoldoutMetrics is { Count: > 0 } metrics)
        {
            logger.LogInformation("Holdout ({Rows} rows): {Metrics}", record.HoldoutRows, Format(metrics));
        }
    }

    /// <summary><c>auc 0.8182, accuracy 0.7513</c>: metrics as the run log and the gate lines write them.</summary>
    public static string Format(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Select(m => $"{m.Key} {m.Value.ToString("0.####", CultureInfo.InvariantCulture)}"));

    private static string Describe(FeatureSpec feature) => feature.Type switch
    {
        FeatureType.Categorical => "categorical, one-hot",
        _ => feature.Type.ToString().ToLowerInvariant(),
    };
}
