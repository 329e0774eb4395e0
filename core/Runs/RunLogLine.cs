namespace Serverless.Core.Runs;

/// <summary>One line of a run's log (<c>runs/{model}/{runId}/log.jsonl</c>), as <c>GET /api/runs/{id}/logs</c> returns it.</summary>
/// <param name="Level">One of <see cref="RunLogLevels"/>.</param>
/// <param name="Step">The pipeline step that wrote it (<see cref="PipelineSteps"/>).</param>
/// <param name="Source">Which process wrote it: one of <see cref="RunLogSources"/>.</param>
public sealed record RunLogLine(DateTimeOffset At, string Level, string Step, string Message, string? Source = null);
