namespace Serverless.Core.Specs;

/// <summary>
/// What a candidate must hold to at the end of each bake period; any breach rolls the release back. A guardrail left
/// out is not checked.
/// </summary>
public sealed record ReleaseGuardrails
{
    /// <summary>Share (0–1) of the candidate's requests that did not answer 200 (field errors or failures).</summary>
    public double? MaxErrorRate { get; init; }

    /// <summary>The candidate's 99th-percentile scoring latency in milliseconds, as measured by the hosts.</summary>
    public double? MaxP99LatencyMs { get; init; }

    /// <summary>The candidate's live quality, once at least its <c>minLabels</c> predictions have labels.</summary>
    public LiveQualityGuardrail? MinLiveQuality { get; init; }

    /// <summary>
    /// Kolmogorov–Smirnov D (the platform's drift statistic for a numeric column, 0–1) between the candidate's and the
    /// champion's logged scores over the bake period.
    /// </summary>
    public double? MaxPredictionDrift { get; init; }

    /// <summary>Fewer requests than this reaching the candidate in a bake period is a breach (no evidence, no promotion).</summary>
    public int MinRequests { get; init; }
}

/// <param name="Metric">A metric of the model's task (as in gates).</param>
/// <param name="Min">Its least acceptable value (for error metrics such as rmse or logLoss: the greatest).</param>
/// <param name="MinLabels">Below this many labelled candidate predictions the check waits (counts as held).</param>
public sealed record LiveQualityGuardrail(string Metric, double Min, int MinLabels = 50);
