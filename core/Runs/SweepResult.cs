namespace Serverless.Core.Runs;

/// <summary>A finished sweep: the summary and every trial (a run's result carries it; the card carries the summary).</summary>
public sealed record SweepResult(SweepSummary Summary, IReadOnlyList<SweepTrial> Trials);
