namespace Serverless.Core.Runs;

/// <summary>The body of <c>GET /api/runs/{id}</c>.</summary>
public sealed record RunView(
    string RunId,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    RunProgress? Progress,
    PipelineResult? Result,
    string? Error);
