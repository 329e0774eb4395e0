namespace Serverless.Core.Specs;

/// <summary>Conditions a candidate must meet to be promoted to champion.</summary>
/// <param name="Thresholds">Absolute bounds on holdout metrics.</param>
/// <param name="Comparison">Improvement required over the current champion, re-scored on the same holdout.</param>
public sealed record GateSpec(
    IReadOnlyList<MetricThreshold>? Thresholds = null,
    ChampionComparison? Comparison = null);

/// <summary>Metric must be ≥ <paramref name="Min"/> and/or ≤ <paramref name="Max"/>.</summary>
public sealed record MetricThreshold(string Metric, double? Min = null, double? Max = null);

/// <summary>
/// The candidate's <paramref name="Metric"/> must beat the champion's by at least <paramref name="MinImprovement"/>
/// (in the metric's better direction; negative allows a bounded regression).
/// </summary>
public sealed record ChampionComparison(string Metric, double MinImprovement = 0.0);
