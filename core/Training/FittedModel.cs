using Microsoft.ML;

namespace Serverless.Core.Training;

/// <summary>An ML.NET fit before export.</summary>
/// <param name="Classes">Multiclass: class labels in score-vector order; otherwise null.</param>
/// <param name="Parameters">Trainer name and effective hyperparameters.</param>
internal sealed record FittedModel(MLContext Ml, ITransformer Model, string[]? Classes, IReadOnlyDictionary<string, string> Parameters, TimeSpan FitTime);
