using System.Globalization;
using Serverless.Core.Specs;

namespace Serverless.Core.Evaluation;

/// <summary>Applies a spec's gates (absolute thresholds, then champion comparison) to candidate metrics.</summary>
public static class GateEvaluator
{
    public const string MinCheck = "min";
    public const string MaxCheck = "max";
    public const string ChampionCheck = "champion";

    // Absorbs float noise in "baseline + improvement" so an exact tie with the requirement passes.
    private const double Tolerance = 1e-12;

    /// <param name="spec">Supplies <see cref="ModelSpec.Gates"/>.</param>
    /// <param name="candidate">Candidate holdout metrics.</param>
    /// <param name="champion">Champion metrics on the same holdout; null when there is no champion.</param>
    /// <param name="championVersion">Carried into the report.</param>
    /// <param name="championNote">Carried into the report (e.g. why the champion could not be re-scored).</param>
    public static GateReport Evaluate(
        ModelSpec spec,
        IReadOnlyDictionary<string, double> candidate,
        IReadOnlyDictionary<string, double>? champion,
        int? championVersion,
        string? championNote)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(candidate);
        var checks = new List<GateCheck>();

        foreach (var t in spec.Gates.Thresholds ?? [])
        {
            var actual = candidate.GetValueOrDefault(t.Metric, double.NaN);
            if (t.Min is { } min)
            {
                // NaN (metric missing or undefined) fails every comparison.
                var ok = actual >= min;
                checks.Add(new GateCheck(MinCheck, t.Metric, actual, min, ok, $"{t.Metric} {F(actual)} {(ok ? ">=" : "<")} {F(min)}"));
            }

            if (t.Max is { } max)
            {
                var ok = actual <= max;
                checks.Add(new GateCheck(MaxCheck, t.Metric, actual, max, ok, $"{t.Metric} {F(actual)} {(ok ? "<=" : ">")} {F(max)}"));
            }
        }

        if (spec.Gates.Comparison is { } c)
        {
            checks.Add(Compare(c, candidate.GetValueOrDefault(c.Metric, double.NaN), champion));
        }

        return new GateReport(checks.All(x => x.Passed), checks, candidate, champion, championVersion, championNote);
    }

    private static GateCheck Compare(ChampionComparison c, double actual, IReadOnlyDictionary<string, double>? champion)
    {
        if (champion is null || !champion.TryGetValue(c.Metric, out var baseline) || double.IsNaN(baseline))
        {
            return new GateCheck(ChampionCheck, c.Metric, actual, null, true, "no champion");
        }

        // "Better" is up for auc/accuracy/..., down for rmse/mae/logLoss; MinImprovement is in the better direction.
        var higher = MetricNames.HigherIsBetter(c.Metric);
        var required = higher ? baseline + c.MinImprovement : baseline - c.MinImprovement;
        var ok = higher ? actual >= required - Tolerance : actual <= required + Tolerance;
        var improvement = higher ? actual - baseline : baseline - actual;
        var detail = $"{c.Metric} {F(actual)} vs champion {F(baseline)}: improvement {F(improvement)} "
            + $"({(higher ? "higher" : "lower")} is better), required {F(c.MinImprovement)}";
        return new GateCheck(ChampionCheck, c.Metric, actual, required, ok, detail);
    }

    // An undefined metric (NaN, e.g. AUC when the holdout has one class; reports write it as null) fails its check:
    // say so instead of printing "NaN".
    private static string F(double v) => double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : double.IsNaN(v) ? "undefined" : v > 0 ? "+∞" : "−∞";
}
