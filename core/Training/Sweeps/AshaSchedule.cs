namespace Serverless.Core.Training.Sweeps;

/// <summary>
/// Successive halving in synchronous rungs: rung k trains its trials with minResource·η^k trees (the last rung with the
/// trainer's own number), and the best ⌊n/η⌋ (at least one) of a rung go on to the next. Synchronous rungs make the
/// promotions a function of the scores alone, so the sweep is deterministic under its seed, and they map onto
/// successive fan-out waves of the orchestration.
/// </summary>
public static class AshaSchedule
{
    /// <summary>The number of trees per rung, rising by the reduction factor up to the trainer's number of trees.</summary>
    public static IReadOnlyList<int> Resources(int minResource, int maxResource, int reductionFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minResource, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        var rungs = new List<int>();
        for (long r = minResource; r < maxResource; r *= reductionFactor)
        {
            rungs.Add((int)r);
        }

        rungs.Add(maxResource);
        return rungs;
    }

    /// <summary>How many of a rung's <paramref name="entrants"/> go on to the next rung.</summary>
    public static int Keep(int entrants, int reductionFactor) => Math.Max(1, entrants / reductionFactor);

    /// <summary>
    /// The trials promoted out of a rung: the best <see cref="Keep"/> of its entrants by metric (ties: the lower trial
    /// number), never one without a metric. Returned in trial order.
    /// </summary>
    public static IReadOnlyList<int> Promote(IReadOnlyList<TrialScore> rung, int entrants, int reductionFactor, bool maximize)
    {
        ArgumentNullException.ThrowIfNull(rung);
        return [.. Rank(rung, maximize).Take(Keep(entrants, reductionFactor)).Select(s => s.Trial).Order()];
    }

    /// <summary>Scored trials best first (ties: the lower trial number, then the order given).</summary>
    public static IEnumerable<TrialScore> Rank(IEnumerable<TrialScore> scores, bool maximize) =>
        scores.Where(s => s.Metric is { } m && double.IsFinite(m))
            .OrderBy(s => maximize ? -s.Metric!.Value : s.Metric!.Value)
            .ThenBy(s => s.Trial);
}
