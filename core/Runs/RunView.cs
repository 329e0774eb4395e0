namespace Serverless.Core.Runs;

/// <summary>A run as the task hub reports it; <c>GET /api/runs/{id}</c> answers these fields plus what the run's files add.</summary>
/// <param name="Input">What the run was started with: its source file (and an upload's client file name).</param>
public sealed record RunView(
    string RunId,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    RunProgress? Progress,
    PipelineResult? Result,
    string? Error,
    PipelineInput? Input = null);
