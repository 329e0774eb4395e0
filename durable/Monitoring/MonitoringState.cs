namespace Serverless.Durable.Monitoring;

/// <summary><c>monitoring/{model}/state.json</c>: when the model was last checked and last retrained (the debounce).</summary>
public sealed record MonitoringState(
    DateTimeOffset? LastCheckAt = null,
    string? LastStatus = null,
    DateTimeOffset? LastRetrainAt = null,
    string? LastRetrainRunId = null);
