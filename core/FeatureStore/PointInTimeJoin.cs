namespace Serverless.Core.FeatureStore;

/// <summary>
/// The point-in-time join as a sort-merge: both sides sorted by (entity, time, row), one pass, constant state. For
/// each label row at t the match is the feature row of the same entity with the latest time at or before t (equal
/// times: the later row of the source, the value written last) if t minus that time is at most the TTL; otherwise
/// none. A value after t is never seen, because the feature cursor never passes t.
/// </summary>
public static class PointInTimeJoin
{
    /// <summary>The row a label row gets when no feature row qualifies.</summary>
    public const int NoMatch = -1;

    /// <summary>
    /// Streams (label row, feature row or <see cref="NoMatch"/>) in the order of <paramref name="labels"/>. Both inputs
    /// must be sorted (<see cref="TimedKey.CompareTo"/>); an unsorted input is refused, not joined wrongly.
    /// </summary>
    public static IEnumerable<(int LabelRow, int FeatureRow)> Join(IEnumerable<TimedKey> labels, IEnumerable<TimedKey> features, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(features);
        using var f = features.GetEnumerator();
        var hasFeature = f.MoveNext();
        var previousFeature = hasFeature ? f.Current : default;
        TimedKey? previousLabel = null;
        var candidate = NoMatch;
        var candidateEntity = int.MinValue;
        long candidateTicks = 0;
        foreach (var label in labels)
        {
            if (previousLabel is { } p && p.CompareTo(label) > 0) throw new ArgumentException($"Label rows are not sorted by entity and time at row {label.Row}.", nameof(labels));
            previousLabel = label;
            while (hasFeature && (f.Current.Entity < label.Entity || (f.Current.Entity == label.Entity && f.Current.Ticks <= label.Ticks)))
            {
                (candidate, candidateEntity, candidateTicks) = (f.Current.Row, f.Current.Entity, f.Current.Ticks);
                hasFeature = f.MoveNext();
                if (hasFeature)
                {
                    if (previousFeature.CompareTo(f.Current) > 0) throw new ArgumentException($"Feature rows are not sorted by entity and time at row {f.Current.Row}.", nameof(features));
                    previousFeature = f.Current;
                }
            }

            var match = candidateEntity == label.Entity && label.Ticks - candidateTicks <= ttl.Ticks ? candidate : NoMatch;
            yield return (label.Row, match);
        }
    }

    /// <summary>
    /// The join into an array indexed by label row: for each label row, the feature row it gets or <see cref="NoMatch"/>.
    /// </summary>
    public static int[] Match(TimedKey[] sortedLabels, IEnumerable<TimedKey> sortedFeatures, TimeSpan ttl, int labelRows)
    {
        var matches = new int[labelRows];
        Array.Fill(matches, NoMatch);
        foreach (var (label, feature) in Join(sortedLabels, sortedFeatures, ttl)) matches[label] = feature;
        return matches;
    }
}
