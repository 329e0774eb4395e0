using System.Globalization;

namespace Serverless.Core.Monitoring.Drift;

/// <summary>
/// The reference and current counts a feature's histogram statistics compared, with a label per bin, so a report
/// can be drawn: categories (and "other"), each value of a numeric column with few values, or the ~20
/// reference-quantile groups (labelled by their lower bound) otherwise.
/// </summary>
public sealed record DriftHistogram(IReadOnlyList<string> Bins, long[] Reference, long[] Current)
{
    internal static DriftHistogram Of(ColumnProfile profile, bool categorical, long[] refBuckets, long[] curBuckets)
    {
        if (profile.Numeric is not { } numeric)
        {
            return new([.. profile.Categorical!.Categories, CategoryCounts.Other], refBuckets, curBuckets);
        }

        var slots = Enumerable.Range(0, numeric.Counts.Length).Select(s => SlotLabel(numeric.Edges, s)).ToArray();
        if (categorical)
        {
            // Slots both sides left empty (the intervals between the few values) are not bins anyone reads.
            var kept = Enumerable.Range(0, slots.Length).Where(s => refBuckets[s] + curBuckets[s] > 0).ToArray();
            return new(kept.Select(s => slots[s]).ToList(), kept.Select(s => refBuckets[s]).ToArray(), kept.Select(s => curBuckets[s]).ToArray());
        }

        // The same assignment of slots to groups as QuantileGroups.Fold; a group is labelled by its first slot.
        var first = new string?[refBuckets.Length];
        double total = numeric.Counts.Sum();
        long below = 0;
        for (var s = 0; s < numeric.Counts.Length; s++)
        {
            var g = total == 0 ? 0 : Math.Min(QuantileGroups.Count - 1, (int)(below * QuantileGroups.Count / total));
            first[g] ??= s == 0 ? "< " + Format(numeric.Edges.FirstOrDefault()) : "≥ " + Format(numeric.Edges[(s - 1) / 2]);
            below += numeric.Counts[s];
        }

        var used = Enumerable.Range(0, refBuckets.Length).Where(g => first[g] is not null).ToArray();
        return new(used.Select(g => first[g]!).ToList(), used.Select(g => refBuckets[g]).ToArray(), used.Select(g => curBuckets[g]).ToArray());
    }

    /// <summary>Slot 2i is the interval below edge i (above edge i-1), slot 2i+1 the edge's value itself.</summary>
    private static string SlotLabel(double[] edges, int slot) =>
        (slot & 1) == 1 ? Format(edges[slot >> 1])
        : slot == 0 ? "< " + Format(edges.FirstOrDefault())
        : slot == 2 * edges.Length ? "> " + Format(edges[^1])
        : $"{Format(edges[(slot >> 1) - 1])}–{Format(edges[slot >> 1])}";

    private static string Format(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}
