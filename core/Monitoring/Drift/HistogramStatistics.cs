using MathNet.Numerics;

namespace Serverless.Core.Monitoring.Drift;

/// <summary>Tests on two count vectors over the same buckets (categories, or quantile groups of numeric slots).</summary>
internal static class HistogramStatistics
{
    /// <summary>Evidently and PSI practice: empty buckets count as this share so the log stays finite.</summary>
    public const double PsiFloor = 0.0001;

    /// <summary>
    /// Two-sample χ² test of homogeneity (scipy.stats.chi2_contingency without Yates' correction) on the 2×k table
    /// of reference and current counts, over buckets seen on either side (dof = buckets − 1). Evidently instead fits
    /// the current counts to the reference frequencies as if those were exact, which inflates the statistic by about
    /// 1 + current/reference rows and flags unchanged data whenever the window outgrows a small reference.
    /// </summary>
    public static (double Statistic, double PValue) ChiSquare(long[] reference, long[] current)
    {
        double nr = reference.Sum(), nc = current.Sum(), n = nr + nc;
        if (nr == 0 || nc == 0) return (0, 1);
        double stat = 0;
        var buckets = 0;
        for (var k = 0; k < reference.Length; k++)
        {
            double column = reference[k] + current[k];
            if (column == 0) continue;
            buckets++;
            double er = nr * column / n, ec = nc * column / n;
            stat += ((reference[k] - er) * (reference[k] - er) / er) + ((current[k] - ec) * (current[k] - ec) / ec);
        }

        if (buckets < 2) return (0, 1);

        // The χ² survival function, i.e. 1 − ChiSquared.CDF(dof, stat) without the cancellation for small p.
        return (stat, SpecialFunctions.GammaUpperRegularized((buckets - 1) / 2.0, stat / 2));
    }

    /// <summary>
    /// Evidently's Z-test for two proportions (z_stattest.py): each value is 0 when it is the <paramref name="first"/>
    /// bucket's value and 1 otherwise; z = (p_ref − p_cur) / √(P(1 − P)(1/n_ref + 1/n_cur)) with the pooled share P,
    /// two-sided p = 2(1 − Φ(|z|)), computed as erfc(|z|/√2) so small p-values keep their digits. One value on both
    /// sides (P(1 − P) = 0) gives p = 1, as in Evidently.
    /// </summary>
    public static (double Statistic, double PValue) ZTest(long[] reference, long[] current, int first)
    {
        double nr = reference.Sum(), nc = current.Sum();
        if (nr == 0 || nc == 0) return (0, 1);
        double pr = (nr - reference[first]) / nr, pc = (nc - current[first]) / nc;
        var pooled = (pr * nr + pc * nc) / (nr + nc);
        var variance = pooled * (1 - pooled) * ((1 / nr) + (1 / nc));
        if (variance <= 0) return (0, 1);
        var z = (pr - pc) / Math.Sqrt(variance);
        return (z, SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2)));
    }

    /// <summary>scipy.spatial.distance.jensenshannon(p, q, base=2): √ of the JS divergence, in [0, 1].</summary>
    public static double JensenShannon(long[] reference, long[] current)
    {
        double nr = reference.Sum(), nc = current.Sum();
        double divergence = 0;
        for (var k = 0; k < reference.Length; k++)
        {
            double p = reference[k] / nr, q = current[k] / nc, m = (p + q) / 2;
            if (p > 0) divergence += p * Math.Log2(p / m);
            if (q > 0) divergence += q * Math.Log2(q / m);
        }

        return Math.Sqrt(Math.Max(divergence / 2, 0));
    }

    /// <summary>Population stability index Σ (r − c)·ln(r/c) over bucket shares, empty shares floored at <see cref="PsiFloor"/>.</summary>
    public static double Psi(long[] reference, long[] current)
    {
        double nr = reference.Sum(), nc = current.Sum();
        double psi = 0;
        for (var k = 0; k < reference.Length; k++)
        {
            var r = Math.Max(reference[k] / nr, PsiFloor);
            var c = Math.Max(current[k] / nc, PsiFloor);
            psi += (r - c) * Math.Log(r / c);
        }

        return psi;
    }

    /// <summary>&lt; 0.1 none, 0.1–0.25 moderate, ≥ 0.25 significant.</summary>
    public static string PsiBand(double psi) => psi switch
    {
        >= 0.25 => "significant",
        >= 0.1 => "moderate",
        _ => "none",
    };
}
