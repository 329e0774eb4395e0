namespace Serverless.Core.Runs;

/// <summary>A trial's validation metric at one rung.</summary>
/// <param name="Resource">ASHA: the number of trees at this rung; random search: null (the trial's own).</param>
/// <param name="Metric">Null when it failed or the metric is undefined (e.g. AUC of a one-class validation split).</param>
public sealed record RungScore(int Rung, int? Resource, double? Metric, double Seconds);
