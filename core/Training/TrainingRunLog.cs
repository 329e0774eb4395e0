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

    /// <summary>Right after the fit, before the artifacts are written (which can take longer than the fit).</summary>
    /// <param name="trainCall">The whole training call: the fit, the split and the ONNX export.</param>
    public static void LogFitted(this ILogger logger, TrainingResult trained, string device, TimeSpan trainCall)
    {
        logger.LogInformation("Fitted on {TrainRows} rows in {Seconds:F2} s on {Device} (with split and ONNX export {Total:F2} s): {Parameters}",
            trained.TrainRows, trained.FitTime.TotalSeconds, device, trainCall.TotalSeconds, string.Join(", ", trained.TrainerParameters.Select(p => $"{p.Key}={p.Value}")));
        if (trained.LossCurve is { Count: > 0 } curve)
        {
            var best = curve.MinBy(e => e.ValidationLoss)!;
            logger.LogInformation("Loss curve: {Epochs} epochs; best validation loss {Loss:F4} at epoch {Epoch}{Stop}",
                curve.Count, best.ValidationLoss, best.Epoch, best.Epoch < curve[^1].Epoch ? $" (kept; training stopped at epoch {curve[^1].Epoch})" : "");
        }
    }

    /// <param name="took">Scoring the holdout, building the drift reference and explainer, writing them and the model.</param>
    public static void LogArtifacts(this ILogger logger, TrainingRecord record, TimeSpan took)
    {
        if (record.HoldoutMetrics is { Count: > 0 } metrics)
        {
            logger.LogInformation("Holdout ({Rows} rows): {Metrics}", record.HoldoutRows, Format(metrics));
        }

        logger.LogInformation("Scored the holdout and wrote the run's artifacts (model, holdout, drift reference, explainer) in {Seconds:F2} s", took.TotalSeconds);
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
