namespace Serverless.App.Monitoring;

/// <summary><c>monitoring/{model}/state.json</c>: when the model was last checked and last retrained (the debounce).</summary>
/// <param name="LastStatus">The last check's drift status, <see cref="NoReference"/>, or <see cref="MonitoringActions.Failed"/> (see <paramref name="LastError"/>).</param>
/// <param name="LastError">Why the last check failed (a spec the cycle cannot use, or the exception); null after a good check.</param>
public sealed record MonitoringState(
    DateTimeOffset? LastCheckAt = null,
    string? LastStatus = null,
    DateTimeOffset? LastRetrainAt = null,
    string? LastRetrainRunId = null,
    string? LastError = null)
{
    /// <summary>The champion has no drift reference to compare against (registered before references were kept).</summary>
    public const string NoReference = "no-reference";
}
