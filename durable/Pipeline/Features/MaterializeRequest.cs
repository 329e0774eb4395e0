namespace Serverless.Durable.Pipeline.Features;

/// <summary>One view to materialize up to a time the orchestration fixed (its replay-safe clock).</summary>
public sealed record MaterializeRequest(string View, DateTimeOffset UpTo);
