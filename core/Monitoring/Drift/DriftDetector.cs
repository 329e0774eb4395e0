using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring.Drift;

/// <summary>
/// Compares a <see cref="DriftWindow"/> with its <see cref="ReferenceProfile"/> the way Evidently's data drift preset
/// does by default: up to <see cref="ReferenceProfile.MaxExactRows"/> reference values, KS (numeric), χ² (more than two
/// values) or the Z-test for proportions (two values, e.g. booleans) with p &lt; 0.05; above, normed Wasserstein
/// (numeric) or Jensen–Shannon (categorical) ≥ 0.1. Numeric columns with at most five distinct values are categorical.
/// </summary>
public static class DriftDetector
{
    public static DriftReport Evaluate(ReferenceProfile reference, DriftWindow current, DriftSpec spec, DateTimeOffset at, string model, int version)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(spec);
        if (!reference.Features.Select(f => f.Name).SequenceEqual(current.Reference.Features.Select(f => f.Name)))
        {
            throw new ArgumentException("The window was built over a different reference profile.", nameof(current));
        }

        var features = new List<FeatureDrift>(reference.Features.Count);
        for (var i = 0; i < reference.Features.Count; i++)
        {
            features.Add(Column(reference, reference.Features[i], current, i, spec));
        }

        var prediction = reference.Prediction is { } p ? Column(reference, p, current, reference.Features.Count, spec) : null;

        var share = features.Count == 0 ? 0 : (double)features.Count(f => f.Drifted) / features.Count;
        var insufficient = current.Rows < spec.MinWindowRows;
        bool? datasetDrift = insufficient ? null : features.Count > 0 && share >= spec.DatasetDriftShare;
        var status = insufficient ? DriftStatus.InsufficientData
            : datasetDrift == true || prediction?.Drifted == true ? DriftStatus.Drift
            : DriftStatus.NoDrift;
        return new DriftReport(model, version, at, status, reference.Rows, current.Rows, datasetDrift, share, features, prediction);
    }

    private static FeatureDrift Column(ReferenceProfile reference, ColumnProfile profile, DriftWindow window, int index, DriftSpec spec)
    {
        var over = spec.Features?.GetValueOrDefault(profile.Name);
        var numeric = profile.Numeric;
        long[] refCounts, curCounts;
        long missing;
        int distinct; // over reference and window together, as Evidently counts them to choose a test
        if (numeric is not null)
        {
            var acc = window.NumericAt(index)!;
            (refCounts, curCounts, missing) = (numeric.Counts, acc.Counts, acc.Missing);
            // Quantile edges mean more than 101 distinct reference values; exact edges are every one of them.
            distinct = numeric.Exact ? DistinctValues(refCounts, curCounts, pointsOnly: true) + acc.NewValues.Count : int.MaxValue;
        }
        else
        {
            var acc = window.CategoricalAt(index)!;
            (refCounts, curCounts, missing) = (profile.Categorical!.Counts, acc.Counts, acc.Missing);
            // Unseen values share "other" and count once: a lower bound, exact unless a window brings two new categories.
            distinct = DistinctValues(refCounts, curCounts, pointsOnly: false);
        }

        var categorical = numeric is null || distinct <= DriftMethods.MaxCategoricalNumericValues;
        var method = over?.Method ?? DefaultMethod(categorical, profile.Count <= reference.MaxExactRows, distinct);
        if (!DriftMethods.IsKnown(method))
        {
            throw new ArgumentException($"Unknown drift method '{method}' for '{profile.Name}'.", nameof(spec));
        }

        if (DriftMethods.NeedsOrder(method) && numeric is null)
        {
            throw new ArgumentException($"Drift method '{method}' needs a numeric column; '{profile.Name}' is {profile.Kind}.", nameof(spec));
        }

        var threshold = over?.Threshold ?? (DriftMethods.IsPValueTest(method) ? spec.PValueThreshold ?? DriftMethods.DefaultPValue
            : method == DriftMethods.Psi ? DriftMethods.DefaultPsi
            : spec.DistanceThreshold ?? DriftMethods.DefaultDistance);

        // Histogram methods compare values directly when there are few, else ~20 reference-quantile groups.
        var (refBuckets, curBuckets) = categorical
            ? (refCounts, curCounts)
            : (QuantileGroups.Fold(refCounts, refCounts), QuantileGroups.Fold(refCounts, curCounts));

        var currentCount = curCounts.Sum();
        if (currentCount == 0 || profile.Count == 0)
        {
            // Nothing to compare: report, never flag.
            return new FeatureDrift(profile.Name, profile.Kind, method, double.NaN, null, threshold, false, double.NaN, "none", currentCount, missing, DriftHistogram.Of(profile, categorical, refBuckets, curBuckets));
        }

        double statistic;
        double? pValue = null;
        switch (method)
        {
            case DriftMethods.KolmogorovSmirnov:
                statistic = KolmogorovSmirnov.Statistic(refCounts, curCounts);
                pValue = KolmogorovSmirnov.PValue(statistic, profile.Count, currentCount);
                break;
            case DriftMethods.ChiSquare:
                (statistic, var p) = HistogramStatistics.ChiSquare(refBuckets, curBuckets);
                pValue = p;
                break;
            case DriftMethods.ZTest:
                (statistic, var pz) = HistogramStatistics.ZTest(refCounts, curCounts, LowestValue(profile, refCounts, curCounts));
                pValue = pz;
                break;
            case DriftMethods.Wasserstein:
                var acc = window.NumericAt(index)!;
                var w = BinnedWasserstein.Distance(numeric!.Edges, refCounts, numeric.Mass, curCounts, acc.Mass);
                statistic = w / Math.Max(numeric.Std, 0.001); // Evidently's floor for a constant reference
                break;
            case DriftMethods.JensenShannon:
                statistic = HistogramStatistics.JensenShannon(refBuckets, curBuckets);
                break;
            default:
                statistic = HistogramStatistics.Psi(refBuckets, curBuckets);
                break;
        }

        var drifted = pValue is { } pv ? pv < threshold : statistic >= threshold;
        var psi = HistogramStatistics.Psi(refBuckets, curBuckets);
        return new FeatureDrift(profile.Name, profile.Kind, method, statistic, pValue, threshold, drifted, psi, HistogramStatistics.PsiBand(psi), currentCount, missing, DriftHistogram.Of(profile, categorical, refBuckets, curBuckets));
    }

    /// <summary>
    /// Evidently's default test (stattests/registry.py, _get_default_stattest): reference ≤ MaxExactRows: KS for
    /// numbers, else χ² above two distinct values, the Z-test for proportions at two or fewer; larger references:
    /// Wasserstein for numbers, Jensen–Shannon otherwise. Numbers with at most five distinct values count as categories.
    /// </summary>
    private static string DefaultMethod(bool categorical, bool small, int distinct) =>
        !categorical ? small ? DriftMethods.KolmogorovSmirnov : DriftMethods.Wasserstein
        : !small ? DriftMethods.JensenShannon
        : distinct > 2 ? DriftMethods.ChiSquare : DriftMethods.ZTest;

    /// <param name="pointsOnly">Numeric slots: count only the point slots (reference values); odd indexes.</param>
    private static int DistinctValues(long[] reference, long[] current, bool pointsOnly)
    {
        var n = 0;
        for (var k = pointsOnly ? 1 : 0; k < reference.Length; k += pointsOnly ? 2 : 1)
        {
            if (reference[k] + current[k] > 0) n++;
        }

        return n;
    }

    /// <summary>
    /// The bucket Evidently's Z-test takes as its first key (the smallest value seen on either side): the first occupied
    /// slot of a numeric column, the ordinally smallest occupied category otherwise ("false" before "true").
    /// </summary>
    private static int LowestValue(ColumnProfile profile, long[] reference, long[] current)
    {
        if (profile.Categorical is not { } categories)
        {
            for (var k = 0; k < reference.Length; k++)
            {
                if (reference[k] + current[k] > 0) return k;
            }

            return 0;
        }

        var lowest = categories.OtherIndex;
        for (var k = 0; k < categories.Categories.Count; k++)
        {
            if (reference[k] + current[k] > 0 && (lowest == categories.OtherIndex || string.CompareOrdinal(categories.Categories[k], categories.Categories[lowest]) < 0))
            {
                lowest = k;
            }
        }

        return lowest;
    }
}
