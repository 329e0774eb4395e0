using Serverless.Core.Monitoring.Drift;
using Serverless.Core.Monitoring.Live;
using Serverless.Core.Monitoring.Logging;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Storage;

namespace Serverless.Core.Releases;

/// <summary>
/// Evaluates a release's guardrails over one bake period: error rate and p99 latency from every host's traffic counts
/// (<see cref="TrafficStats"/>, the step's baseline subtracted), prediction drift from the logged scores of candidate and
/// champion, live quality from the labels that have arrived for the candidate's logged predictions.
/// </summary>
public sealed class GuardrailEvaluator(PlatformStorage storage, PredictionLogReader log, LiveQualityCalculator live, TimeProvider time)
{
    /// <summary>Below this many logged scores on either side, prediction drift is not judged (the check holds).</summary>
    public const int MinDriftRows = 20;

    public async Task<GuardrailVerdict> EvaluateAsync(ReleaseInput input, ReleaseStep step, CancellationToken ct)
    {
        var g = input.Release.Guardrails;
        var now = time.GetUtcNow();
        var traffic = Sum(await TrafficStats.ReadAsync(storage, input.Model, input.Candidate, ct).ConfigureAwait(false), step.Baseline);
        var checks = new List<GuardrailCheck>();

        if (g.MinRequests > 0)
        {
            var held = traffic.Requests >= g.MinRequests;
            checks.Add(new("minRequests", traffic.Requests, g.MinRequests, held, $"{traffic.Requests} requests reached v{input.Candidate} (at least {g.MinRequests} needed)"));
        }

        if (g.MaxErrorRate is { } maxErrors)
        {
            double? rate = traffic.Requests == 0 ? null : (double)traffic.Errors / traffic.Requests;
            var held = rate is null || rate <= maxErrors;
            checks.Add(new("maxErrorRate", rate, maxErrors, held, rate is null ? "no requests: error rate not measured" : $"error rate {rate:0.###} ({traffic.Errors}/{traffic.Requests}) {(held ? "≤" : ">")} {maxErrors}"));
        }

        if (g.MaxP99LatencyMs is { } maxP99)
        {
            var p99 = LatencyHistogram.Quantile(traffic.Latency, 0.99);
            var held = p99 is null || p99 <= maxP99;
            checks.Add(new("maxP99LatencyMs", p99, maxP99, held, p99 is null ? "no requests: p99 not measured" : $"p99 latency ≤ {p99:0.###} ms {(held ? "≤" : ">")} {maxP99} ms"));
        }

        if (g.MaxPredictionDrift is { } maxDrift && input.ExpectedChampion is { } champion)
        {
            checks.Add(await DriftAsync(input, champion, step.StartedAt, now, maxDrift, ct).ConfigureAwait(false));
        }

        if (g.MinLiveQuality is { } quality)
        {
            checks.Add(await QualityAsync(input, quality, step.StartedAt, now, ct).ConfigureAwait(false));
        }

        return new GuardrailVerdict(checks.All(c => c.Held), traffic.Requests, checks);
    }

    /// <summary>Every host's counts minus the same host's baseline (a host that started since counts from zero).</summary>
    private static VersionTrafficCounts Sum(IReadOnlyList<VersionTrafficCounts> now, IReadOnlyList<VersionTrafficCounts> baseline)
    {
        long requests = 0, errors = 0;
        var latency = new long[LatencyHistogram.Buckets];
        foreach (var host in now)
        {
            var delta = host.Minus(baseline.FirstOrDefault(b => b.Host == host.Host));
            requests += delta.Requests;
            errors += delta.Errors;
            for (var i = 0; i < latency.Length && i < delta.Latency.Count; i++) latency[i] += delta.Latency[i];
        }

        return new VersionTrafficCounts("all", requests, errors, latency);
    }

    private async Task<GuardrailCheck> DriftAsync(ReleaseInput input, int champion, DateTimeOffset from, DateTimeOffset to, double max, CancellationToken ct)
    {
        var candidate = await ScoresAsync(input.Model, input.Candidate, from, to, ct).ConfigureAwait(false);
        var reference = await ScoresAsync(input.Model, champion, from, to, ct).ConfigureAwait(false);
        if (candidate.Count < MinDriftRows || reference.Count < MinDriftRows)
        {
            return new("maxPredictionDrift", null, max, true, $"prediction drift not judged: {candidate.Count} candidate / {reference.Count} champion scores logged (at least {MinDriftRows} each)");
        }

        var d = KolmogorovSmirnovD(reference, candidate);
        var held = d <= max;
        return new("maxPredictionDrift", d, max, held, $"prediction drift (KS D vs v{champion}) {d:0.###} {(held ? "≤" : ">")} {max}");
    }

    /// <summary>The exact two-sample D: slots at every distinct value of either sample.</summary>
    internal static double KolmogorovSmirnovD(List<float> reference, List<float> current)
    {
        var values = reference.Concat(current).Distinct().Order().ToArray();
        var r = new long[values.Length];
        var c = new long[values.Length];
        foreach (var v in reference) r[Array.BinarySearch(values, v)]++;
        foreach (var v in current) c[Array.BinarySearch(values, v)]++;
        return KolmogorovSmirnov.Statistic(r, c);
    }

    private async Task<List<float>> ScoresAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var scores = new List<float>();
        foreach (var batch in await log.ReadAsync(model, from, to, version, ct).ConfigureAwait(false))
        {
            var column = batch.Table[LoggedColumns.Score].FloatValues;
            for (var r = 0; r < batch.Table.RowCount; r++)
            {
                if (PredictionLogReader.TimestampOf(batch, r) >= from && !float.IsNaN(column[r])) scores.Add(column[r]);
            }
        }

        return scores;
    }

    private async Task<GuardrailCheck> QualityAsync(ReleaseInput input, LiveQualityGuardrail quality, DateTimeOffset from, DateTimeOffset now, CancellationToken ct)
    {
        var window = now - from > TimeSpan.Zero ? now - from : TimeSpan.FromSeconds(1);
        var spec = input.Spec with { Monitoring = input.Spec.Monitoring with { QualityWindows = [window] } };
        var measured = (await live.ComputeAsync(input.Model, spec, ct).ConfigureAwait(false)).FirstOrDefault(q => q.Version == input.Candidate);
        var labeled = measured?.Labeled ?? 0;
        if (labeled < quality.MinLabels || measured!.Metrics.GetValueOrDefault(quality.Metric, double.NaN) is var value && double.IsNaN(value))
        {
            return new("minLiveQuality", null, quality.Min, true, $"live {quality.Metric} not judged yet: {labeled} labelled predictions of v{input.Candidate} (at least {quality.MinLabels})");
        }

        var held = MetricNames.HigherIsBetter(quality.Metric) ? value >= quality.Min : value <= quality.Min;
        return new("minLiveQuality", value, quality.Min, held, $"live {quality.Metric} {value:0.###} over {labeled} labels {(held ? "meets" : "misses")} {quality.Min}");
    }
}
