namespace Serverless.Core.Monitoring.Drift;

/// <summary>The drift verdict for one feature (or the prediction column).</summary>
/// <param name="Kind">numeric, categorical or boolean.</param>
/// <param name="Method">ks, chisquare, wasserstein (normed by the reference std), jensenshannon or psi.</param>
/// <param name="Statistic">KS D, χ², normed Wasserstein, JS distance or PSI; NaN when the window has no values.</param>
/// <param name="PValue">Set for ks and chisquare.</param>
/// <param name="Threshold">p-value below which, or statistic at or above which, the feature drifts.</param>
/// <param name="Psi">Always computed (20 reference-quantile bins for numeric columns, categories otherwise).</param>
/// <param name="PsiBand">none (&lt; 0.1), moderate (0.1–0.25), significant (≥ 0.25).</param>
/// <param name="CurrentCount">Non-missing values in the window.</param>
/// <param name="MissingCount">Missing values in the window (excluded from every statistic).</param>
/// <param name="Histogram">The binned reference and current counts, for drawing (null in reports written before it was kept).</param>
public sealed record FeatureDrift(
    string Name,
    string Kind,
    string Method,
    double Statistic,
    double? PValue,
    double Threshold,
    bool Drifted,
    double Psi,
    string PsiBand,
    long CurrentCount,
    long MissingCount,
    DriftHistogram? Histogram = null);
