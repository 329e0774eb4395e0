namespace Serverless.Scorer.Hosting;

/// <summary>Bound from configuration section <c>Scorer</c> (environment: <c>Scorer__ApiKey</c>).</summary>
public sealed class ScorerOptions
{
    public const string Section = "Scorer";

    /// <summary>
    /// Required on every route but health. Container Apps ingress has no function keys, so this is the only guard;
    /// when empty, guarded routes answer 401 (fail closed) rather than serving anonymously.
    /// </summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The header carrying the key; the local host's <c>x-api-key</c> by default, so clients work against either.</summary>
    public string ApiKeyHeader { get; set; } = "x-api-key";

    /// <summary>
    /// Cap on one readiness check, below the readiness probe's <c>timeoutSeconds</c> (5, infra/app/scorer.bicep), so the
    /// probe gets an answer; a champion still loading keeps loading in the background and the next check finds it.
    /// </summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(4);
}
