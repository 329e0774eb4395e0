namespace Serverless.Core.Monitoring.Drift;

/// <summary>
/// Folds numeric slots into about <see cref="Count"/> equal-frequency reference bins for the histogram methods
/// (PSI, χ², Jensen–Shannon on numbers). A slot joins the bin its reference cumulative share starts in, so a heavy
/// point (many equal values) stays one bin and values beyond the reference range join the outer bins.
/// </summary>
internal static class QuantileGroups
{
    public const int Count = 20;

    public static long[] Fold(long[] referenceSlots, long[] slots)
    {
        double total = referenceSlots.Sum();
        var groups = new long[Count];
        long below = 0;
        for (var s = 0; s < slots.Length; s++)
        {
            var g = total == 0 ? 0 : Math.Min(Count - 1, (int)(below * Count / total));
            groups[g] += slots[s];
            below += referenceSlots[s];
        }

        return groups;
    }
}
