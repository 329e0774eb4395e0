namespace Serverless.Core.Specs;

/// <summary>Where one hyperparameter is sampled from.</summary>
/// <param name="Type">choice: one of <paramref name="Values"/>; uniform, logUniform: a real in [min, max]; int: an integer in [min, max].</param>
public sealed record SearchDimension(
    SearchDistribution Type,
    IReadOnlyList<double>? Values = null,
    double? Min = null,
    double? Max = null);
