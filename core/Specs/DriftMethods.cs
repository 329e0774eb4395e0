namespace Serverless.Core.Specs;

/// <summary>Drift test names accepted in <c>DriftSpec.Features[name].Method</c> and reported in drift reports (<c>FeatureDrift.Method</c>).</summary>
public static class DriftMethods
{
    public const string KolmogorovSmirnov = "ks";
    public const string ChiSquare = "chisquare";

    /// <summary>Two-proportion Z-test (pooled variance), Evidently's "z": the share of the lowest value against the rest.</summary>
    public const string ZTest = "z";
    public const string Wasserstein = "wasserstein";
    public const string JensenShannon = "jensenshannon";
    public const string Psi = "psi";

    public const double DefaultPValue = 0.05;
    public const double DefaultDistance = 0.1;
    public const double DefaultPsi = 0.1;

    /// <summary>
    /// Evidently's cut-off for numeric columns: with at most this many distinct values (reference and current together)
    /// they are tested as categories (χ², Z or Jensen–Shannon), not by their order.
    /// </summary>
    public const int MaxCategoricalNumericValues = 5;

    /// <summary>Tests whose statistic is a p-value (drift when p &lt; threshold); the rest drift when statistic ≥ threshold.</summary>
    public static bool IsPValueTest(string method) => method is KolmogorovSmirnov or ChiSquare or ZTest;

    /// <summary>Methods that need an ordered (numeric) column.</summary>
    public static bool NeedsOrder(string method) => method is KolmogorovSmirnov or Wasserstein;

    public static bool IsKnown(string method) => method is KolmogorovSmirnov or ChiSquare or ZTest or Wasserstein or JensenShannon or Psi;
}
