namespace Serverless.Core.Runs;

/// <summary>What a sweep found: the model card's <c>sweep</c> and the head of a run's trial table.</summary>
/// <param name="Strategy">random or asha.</param>
/// <param name="Metric">The validation metric trials were ranked by.</param>
/// <param name="Direction">maximize or minimize.</param>
/// <param name="Trials">Trials sampled.</param>
/// <param name="BestParameters">The winner's hyperparameters as the final fit uses them (ASHA's number of trees included).</param>
/// <param name="WallSeconds">From the first trial's start to the last one's end.</param>
/// <param name="Folds">k of k-fold cross-validation; null: one validation split carved from the training split.</param>
/// <param name="Where">Where the trials fitted: activity (pipeline activities) or job (trainer-job executions).</param>
public sealed record SweepSummary(
    string Strategy,
    string Metric,
    string Direction,
    int Trials,
    int BestTrial,
    double BestMetric,
    IReadOnlyDictionary<string, double> BestParameters,
    double WallSeconds,
    int? Folds = null,
    string? Where = null);
