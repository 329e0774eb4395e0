namespace Serverless.Core.Evaluation;

/// <summary>One row of model output: what evaluation compares with labels, and what serving returns.</summary>
/// <param name="Label">Binary: "true"/"false", or the user's class names when the model has them. Multiclass: the predicted class. Regression: null.</param>
/// <param name="Score">Binary: calibrated P(true). Regression: the prediction. Multiclass: null.</param>
/// <param name="Probabilities">Multiclass: one probability per class, in the model's class-label order. Otherwise null.</param>
public sealed record ModelOutputRow(string? Label, float? Score, float[]? Probabilities);
