using Serverless.Core.Specs;

namespace Serverless.Core.Specs;

/// <summary>The metric vocabulary used in specs, gate reports and model cards.</summary>
public static class MetricNames
{
    public const string Auc = "auc";
    public const string Accuracy = "accuracy";
    public const string F1 = "f1";
    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string LogLoss = "logLoss";
    public const string MacroF1 = "macroF1";
    public const string Rmse = "rmse";
    public const string Mae = "mae";
    public const string RSquared = "r2";

    public static IReadOnlyList<string> For(ModelTask task) => task switch
    {
        ModelTask.Binary => [Auc, Accuracy, F1, Precision, Recall, LogLoss],
        ModelTask.Multiclass => [Accuracy, MacroF1, LogLoss],
        ModelTask.Regression => [Rmse, Mae, RSquared],
        _ => throw new ArgumentOutOfRangeException(nameof(task)),
    };

    /// <summary>True when a larger value is better.</summary>
    public static bool HigherIsBetter(string metric) => metric is not (LogLoss or Rmse or Mae);
}
