namespace Serverless.Core.Monitoring.Drift;

/// <summary>
/// A numeric reference distribution as counts over "slots" between and at sorted edges:
/// slot 2i is the open interval (E[i-1], E[i]) (E[-1] = -inf), slot 2i+1 is the point E[i], slot 2K is (E[K-1], +inf).
/// Point slots make the KS statistic exact when the edges are all distinct reference values.
/// </summary>
/// <param name="Exact">True when <paramref name="Edges"/> are every distinct reference value (small references, or few distinct values).</param>
/// <param name="Mean">Mean of the non-missing values.</param>
/// <param name="Std">Population standard deviation (ddof 0, as numpy's std that Evidently normalises Wasserstein with).</param>
/// <param name="Edges">Sorted distinct edges: reference quantiles, or every distinct value when exact.</param>
/// <param name="Counts">Values per slot (2K+1).</param>
/// <param name="Mass">
/// Per slot, the sum of distances to the slot's upper edge (E[i] − x); for the top slot the distance to E[K-1] (x − E[K-1]).
/// With the counts this gives ∫F exactly over each slot, which is what the binned Wasserstein distance needs.
/// </param>
public sealed record NumericHistogram(bool Exact, double Mean, double Std, double[] Edges, long[] Counts, double[] Mass)
{
    public int SlotCount => Counts.Length;

    /// <summary>The slot of a (non-NaN) value: lower-bound search over the edges.</summary>
    public static int SlotOf(double[] edges, double x)
    {
        // Branch-light lower bound: first index whose edge is >= x.
        int lo = 0, n = edges.Length;
        while (n > 0)
        {
            var half = n >> 1;
            if (edges[lo + half] < x)
            {
                lo += half + 1;
                n -= half + 1;
            }
            else
            {
                n = half;
            }
        }

        return lo < edges.Length && edges[lo] == x ? 2 * lo + 1 : 2 * lo;
    }

    /// <summary>The distance a value adds to its slot's <see cref="Mass"/>.</summary>
    public static double MassOf(double[] edges, int slot, double x) =>
        (slot & 1) == 1 || edges.Length == 0 ? 0 : slot == 2 * edges.Length ? x - edges[^1] : edges[slot >> 1] - x;
}
