using Serverless.Core.Datasets;
using Serverless.Core.Evaluation;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;

namespace Serverless.Core.Tests.Evaluation;

public sealed class ModelEvaluatorTests
{
    private const int Digits = 9;

    private static ModelOutputRow P(float probability) => new(probability >= 0.5f ? "true" : "false", probability, null);

    [Fact]
    public void Binary_metrics_match_hand_computed_values_with_tied_scores()
    {
        // labels  1    0    1    0
        // P(true) 0.8  0.8  0.6  0.2
        // AUC, pairs (pos, neg): (0.8,0.8) tie = 0.5; (0.8,0.2) = 1; (0.6,0.8) = 0; (0.6,0.2) = 1 → 2.5 / 4 = 0.625.
        // At ≥ 0.5: predicted 1 1 1 0 → TP 2, FP 1, TN 1, FN 0: accuracy 0.75, precision 2/3, recall 1, F1 0.8.
        // Log-loss: −(ln 0.8 + ln 0.2 + ln 0.6 + ln 0.8) / 4 = 0.641637...
        var m = ModelEvaluator.Binary([1, 0, 1, 0], [P(0.8f), P(0.8f), P(0.6f), P(0.2f)]);

        Assert.Equal(0.625, m[MetricNames.Auc], Digits);
        Assert.Equal(0.75, m[MetricNames.Accuracy], Digits);
        Assert.Equal(2.0 / 3, m[MetricNames.Precision], Digits);
        Assert.Equal(1.0, m[MetricNames.Recall], Digits);
        Assert.Equal(0.8, m[MetricNames.F1], Digits);
        Assert.Equal(0.6416376, m[MetricNames.LogLoss], 6);
        Assert.Equal(MetricNames.For(ModelTask.Binary).Order(), m.Keys.Order());
    }

    [Fact]
    public void Auc_with_all_scores_tied_is_one_half_and_perfect_ranking_is_one()
    {
        Assert.Equal(0.5, ModelEvaluator.Binary([1, 0, 1, 0], [P(0.3f), P(0.3f), P(0.3f), P(0.3f)])[MetricNames.Auc], Digits);
        Assert.Equal(1.0, ModelEvaluator.Binary([0, 0, 1, 1], [P(0.1f), P(0.2f), P(0.7f), P(0.9f)])[MetricNames.Auc], Digits);
    }

    [Fact]
    public void Auc_is_undefined_with_one_class()
    {
        Assert.True(double.IsNaN(ModelEvaluator.Binary([1, 1], [P(0.3f), P(0.6f)])[MetricNames.Auc]));
    }

    [Fact]
    public void Log_loss_clips_certain_wrong_predictions()
    {
        // P(true) = 1 for a negative row: −ln(1e−15) = 34.538776...; the other row (label 1, P 1) adds −ln(1 − 1e−15) ≈ 1e−15.
        var m = ModelEvaluator.Binary([0, 1], [P(1f), P(1f)]);

        Assert.Equal(-Math.Log(1e-15) / 2, m[MetricNames.LogLoss], 6);
    }

    [Fact]
    public void No_predicted_positives_give_zero_precision_and_f1()
    {
        var m = ModelEvaluator.Binary([1, 0], [P(0.1f), P(0.2f)]);

        Assert.Equal(0, m[MetricNames.Precision]);
        Assert.Equal(0, m[MetricNames.Recall]);
        Assert.Equal(0, m[MetricNames.F1]);
    }

    [Fact]
    public void Multiclass_metrics_match_hand_computed_values()
    {
        // truth a b c a, predicted a b b c, classes [a, b, c].
        // accuracy 2/4. Per class F1: a (P 1/1, R 1/2) = 2/3; b (P 1/2, R 1/1) = 2/3; c (P 0, R 0) = 0 → macro 4/9.
        // Log-loss of the true class's probability: −(ln 0.7 + ln 0.6 + ln 0.2 + ln 0.3) / 4.
        string[] classes = ["a", "b", "c"];
        ModelOutputRow[] predictions =
        [
            new("a", null, [0.7f, 0.2f, 0.1f]),
            new("b", null, [0.2f, 0.6f, 0.2f]),
            new("b", null, [0.1f, 0.7f, 0.2f]),
            new("c", null, [0.3f, 0.1f, 0.6f]),
        ];
        var m = ModelEvaluator.Evaluate(ModelTask.Multiclass, DataColumn.Text("y", ["a", "b", "c", "a"]), predictions, classes);

        Assert.Equal(0.5, m[MetricNames.Accuracy], Digits);
        Assert.Equal(4.0 / 9, m[MetricNames.MacroF1], Digits);
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.6) + Math.Log(0.2) + Math.Log(0.3)) / 4, m[MetricNames.LogLoss], 6);
    }

    [Fact]
    public void Multiclass_true_class_unknown_to_the_model_counts_as_probability_zero()
    {
        var m = ModelEvaluator.Multiclass(["z"], [new ModelOutputRow("a", null, [1f, 0f])], ["a", "b"]);

        Assert.Equal(-Math.Log(1e-15), m[MetricNames.LogLoss], 6);
        Assert.Equal(0, m[MetricNames.Accuracy]);
    }

    [Fact]
    public void Regression_metrics_match_hand_computed_values()
    {
        // truth 3 −0.5 2 7, predicted 2.5 0 2 8: errors 0.5 −0.5 0 −1.
        // MAE 2/4 = 0.5; MSE 1.5/4 = 0.375, RMSE 0.612372...; mean 2.875, SStot 29.1875, R² = 1 − 1.5/29.1875 = 0.948608...
        ModelOutputRow[] predictions = [new(null, 2.5f, null), new(null, 0f, null), new(null, 2f, null), new(null, 8f, null)];
        var m = ModelEvaluator.Evaluate(ModelTask.Regression, DataColumn.Float("y", [3f, -0.5f, 2f, 7f]), predictions);

        Assert.Equal(0.5, m[MetricNames.Mae], Digits);
        Assert.Equal(Math.Sqrt(0.375), m[MetricNames.Rmse], Digits);
        Assert.Equal(1 - (1.5 / 29.1875), m[MetricNames.RSquared], Digits);
    }

    [Fact]
    public void Regression_r2_with_constant_labels_follows_scikit_learn()
    {
        Assert.Equal(1.0, ModelEvaluator.Regression([2f, 2f], [new(null, 2f, null), new(null, 2f, null)])[MetricNames.RSquared]);
        Assert.Equal(0.0, ModelEvaluator.Regression([2f, 2f], [new(null, 1f, null), new(null, 2f, null)])[MetricNames.RSquared]);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ModelEvaluator.Binary([1, 0], [P(0.5f)]));
    }
}
