namespace Serverless.App.Runs;

/// <summary><c>runs/{model}/{runId}/canceled.json</c>: who canceled the run and when.</summary>
public sealed record RunCancelRecord(DateTimeOffset At, string By);
