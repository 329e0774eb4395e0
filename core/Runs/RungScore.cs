namespace Serverless.Core.Runs;

/// <summary>A trial's validation metric at one rung.</summary>
/// <param name="Resource">ASHA: the number of trees (mlp: epochs) at this rung; random search: null (the trial's own).</param>
/// <param name="Metric">Null when it failed or the metric is undefined (e.g. AUC of a one-class validation split).</param>
/// <param name="Where">Where the rung's fit ran: activity or job (null on sweeps recorded before it was kept).</param>
/// <param name="Device">What it fitted on: cpu, or the trainer job's GPU.</param>
public sealed record RungScore(int Rung, int? Resource, double? Metric, double Seconds, string? Where = null, string? Device = null);
