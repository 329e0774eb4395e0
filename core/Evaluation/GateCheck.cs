using Serverless.Core.Specs;

namespace Serverless.Core.Evaluation;

/// <summary>One promotion condition and its outcome.</summary>
/// <param name="Name">"min", "max" (thresholds) or "champion" (comparison).</param>
/// <param name="Metric">Metric name (<see cref="MetricNames"/>).</param>
/// <param name="Actual">The candidate's value (NaN when missing).</param>
/// <param name="Required">The bound the candidate had to reach; null when there was nothing to compare with.</param>
/// <param name="Passed">Whether the condition holds.</param>
/// <param name="Detail">Human-readable explanation.</param>
public sealed record GateCheck(string Name, string Metric, double Actual, double? Required, bool Passed, string Detail);
