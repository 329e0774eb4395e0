namespace Serverless.Core.Monitoring.Drift;

/// <summary>
/// Wasserstein-1 distance ∫|F_ref − F_cur| from slot counts and slot masses. Per slot, ∫F is exact (count below ×
/// width + Σ(upper edge − x)); the distance sums |∫_slot F_ref − ∫_slot F_cur|, which equals the true integral when
/// F_ref − F_cur keeps its sign inside each slot and is a lower bound otherwise. The unbounded outer slots use
/// ∫_{−∞}^{a}F = E[(a − X)⁺] and ∫_{b}^{∞}(1 − F) = E[(X − b)⁺], so values beyond the reference range count exactly.
/// </summary>
internal static class BinnedWasserstein
{
    public static double Distance(double[] edges, long[] refCounts, double[] refMass, long[] curCounts, double[] curMass)
    {
        double nr = refCounts.Sum(), nc = curCounts.Sum();
        if (edges.Length == 0) return 0;

        var top = 2 * edges.Length;
        long belowRef = 0, belowCur = 0;
        double distance = 0;
        for (var s = 0; s <= top; s++)
        {
            if ((s & 1) == 0)
            {
                // Bottom and top slots: only the mass term (see summary); interior slots add count-below × width.
                var width = s == 0 || s == top ? 0 : edges[s >> 1] - edges[(s >> 1) - 1];
                var fr = (belowRef * width + refMass[s]) / nr;
                var fc = (belowCur * width + curMass[s]) / nc;
                distance += Math.Abs(fr - fc);
            }

            belowRef += refCounts[s];
            belowCur += curCounts[s];
        }

        return distance;
    }
}
