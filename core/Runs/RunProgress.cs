namespace Serverless.Core.Runs;

/// <summary>The orchestration's custom status: the current step and per-step timings, as <c>GET /api/runs/{id}</c> shows them.</summary>
public sealed record RunProgress(string Step, IReadOnlyList<StepTiming> Steps, string? Error = null);

/// <param name="Status">One of <see cref="StepStatuses"/>.</param>
public sealed record StepTiming(string Step, string Status, DateTimeOffset StartedAt, double? Seconds, string? Detail = null);

public static class StepStatuses
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

public static class PipelineSteps
{
    public const string Ingest = "ingest";
    public const string Train = "train";

    /// <summary>Only for a spec with <c>search</c>: the hyperparameter sweep between ingest and train.</summary>
    public const string Sweep = "sweep";
    public const string Evaluate = "evaluate";
    public const string Register = "register";
    public const string Promote = "promote";

    /// <summary>The GPU path's part of <see cref="Train"/>: the request handed to the trainer job's queue.</summary>
    public const string Dispatch = "dispatch";

    /// <summary>Only after an ingest that failed for good: the drop moves to quarantine with the reason.</summary>
    public const string Quarantine = "quarantine";
    public const string Done = "done";

    public static readonly IReadOnlyList<string> All = [Ingest, Train, Evaluate, Register, Promote];
}
