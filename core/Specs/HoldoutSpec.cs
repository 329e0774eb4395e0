namespace Serverless.Core.Specs;

/// <summary>The share of rows kept out of training for evaluation and gating; the split is a pure function of the seed.</summary>
public sealed record HoldoutSpec(double Fraction = 0.2, int Seed = 42);
