using Serverless.Core.Specs;

namespace Serverless.Core.Monitoring;

/// <summary>
/// Compares a <see cref="DriftWindow"/> with its <see cref="ReferenceProfile"/> the way Evidently's data drift preset
/// does by default: up to <see cref="ReferenceProfile.MaxExactRows"/> reference values, KS (numeric) or χ² (categorical,
/// boolean) with p &lt; 0.05; above, normed Wasserstein (numeric) or Jensen–Shannon (categorical) ≥ 0.1.
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
        var method = over?.Method ?? DefaultMethod(profile, reference.MaxExactRows);
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

        long[] refCounts, curCounts, refBuckets, curBuckets;
        long missing;
        if (numeric is not null)
        {
            var acc = window.NumericAt(index)!;
            (refCounts, curCounts, missing) = (numeric.Counts, acc.Counts, acc.Missing);
            refBuckets = QuantileGroups.Fold(refCounts, refCounts);
            curBuckets = QuantileGroups.Fold(refCounts, curCounts);
        }
        else
        {
            var acc = window.CategoricalAt(index)!;
            (refCounts, curCounts, missing) = (profile.Categorical!.Counts, acc.Counts, acc.Missing);
            (refBuckets, curBuckets) = (refCounts, curCounts);
        }

        var currentCount = curCounts.Sum();
        if (currentCount == 0 || profile.Count == 0)
        {
            // Nothing to compare: report, never flag.
            return new FeatureDrift(profile.Name, profile.Kind, method, double.NaN, null, threshold, false, double.NaN, "none", currentCount, missing);
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
                (statistic, var p) = HistogramTests.ChiSquare(refBuckets, curBuckets);
                pValue = p;
                break;
            case DriftMethods.Wasserstein:
                var acc = window.NumericAt(index)!;
                var w = BinnedWasserstein.Distance(numeric!.Edges, refCounts, numeric.Mass, curCounts, acc.Mass);
                statistic = w / Math.Max(numeric.Std, 0.001); // Evidently's floor for a constant reference
                break;
            case DriftMethods.JensenShannon:
                statistic = HistogramTests.JensenShannon(refBuckets, curBuckets);
                break;
            default:
                statistic = HistogramTests.Psi(refBuckets, curBuckets);
                break;
        }

        var drifted = pValue is { } pv ? pv < threshold : statistic >= threshold;
        var psi = HistogramTests.Psi(refBuckets, curBuckets);
        return new FeatureDrift(profile.Name, profile.Kind, method, statistic, pValue, threshold, drifted, psi, HistogramTests.PsiBand(psi), currentCount, missing);
    }

    private static string DefaultMethod(ColumnProfile profile, int maxExactRows)
    {
        var small = profile.Count <= maxExactRows;
        return profile.Numeric is not null
            ? small ? DriftMethods.KolmogorovSmirnov : DriftMethods.Wasserstein
            : small ? DriftMethods.ChiSquare : DriftMethods.JensenShannon;
    }
}
