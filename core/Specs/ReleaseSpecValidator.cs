namespace Serverless.Core.Specs;

/// <summary>The value rules of a spec's <c>release</c> section (schemas/model.schema.json states the same bounds).</summary>
internal static class ReleaseSpecValidator
{
    public const int MaxSteps = 10;

    public const int MaxMinRequests = 1_000_000;

    public static readonly TimeSpan MaxBakeTime = TimeSpan.FromDays(30);

    public static readonly TimeSpan MaxApprovalTimeout = TimeSpan.FromDays(90);

    public static void Validate(ModelSpec spec, List<SpecProblem> p)
    {
        var r = spec.Release;
        if (r is null)
        {
            p.Add(new("$.release", "release must be an object; leave it out to promote at once."));
            return;
        }

        if (!Enum.IsDefined(r.Mode))
        {
            p.Add(new("$.release.mode", $"Unknown mode {r.Mode}; expected one of {string.Join(", ", ModelSpecShape.EnumNames(typeof(ReleaseMode)))}."));
        }

        ValidateSteps(r.Steps, r.Mode == ReleaseMode.Hold, p);
        if (r.BakeTime <= TimeSpan.Zero || r.BakeTime > MaxBakeTime)
        {
            p.Add(new("$.release.bakeTime", $"Must be within (0, {MaxBakeTime.TotalDays:0} days]; got {r.BakeTime}."));
        }

        if (r.ApprovalTimeout <= TimeSpan.Zero || r.ApprovalTimeout > MaxApprovalTimeout)
        {
            p.Add(new("$.release.approvalTimeout", $"Must be within (0, {MaxApprovalTimeout.TotalDays:0} days]; got {r.ApprovalTimeout}."));
        }

        if (r.RoutingKey is { } key && (key.Length == 0 || key.Length > ModelSpecLimits.MaxNameLength))
        {
            p.Add(new("$.release.routingKey", $"Must be a field name of 1 to {ModelSpecLimits.MaxNameLength} characters."));
        }

        ValidateGuardrails(spec, r.Guardrails, p);
    }

    private static void ValidateSteps(IReadOnlyList<int>? steps, bool held, List<SpecProblem> p)
    {
        if (steps is null || steps.Count == 0 || steps.Count > MaxSteps)
        {
            p.Add(new("$.release.steps", $"Must list 1 to {MaxSteps} percentages; got {steps?.Count.ToString() ?? "null"}."));
            return;
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is < 1 or > 100)
            {
                p.Add(new($"$.release.steps[{i}]", $"A step is a percentage within [1, 100]; got {steps[i]}."));
            }
            else if (i > 0 && steps[i] <= steps[i - 1])
            {
                p.Add(new($"$.release.steps[{i}]", $"Steps must increase; {steps[i]} follows {steps[i - 1]}."));
            }
        }

        if (steps[^1] != 100 && !held)
        {
            p.Add(new($"$.release.steps[{steps.Count - 1}]", $"The last step must be 100 (the candidate takes all traffic before it is champion); got {steps[^1]}."));
        }
    }

    private static void ValidateGuardrails(ModelSpec spec, ReleaseGuardrails? g, List<SpecProblem> p)
    {
        if (g is null)
        {
            p.Add(new("$.release.guardrails", "guardrails must be an object; leave it out for none."));
            return;
        }

        if (g.MaxErrorRate is { } errors && !(errors is >= 0 and <= 1))
        {
            p.Add(new("$.release.guardrails.maxErrorRate", $"Must be within [0, 1]; got {errors}."));
        }

        if (g.MaxP99LatencyMs is { } latency && !(latency > 0 && double.IsFinite(latency)))
        {
            p.Add(new("$.release.guardrails.maxP99LatencyMs", $"Must be a finite number > 0; got {latency}."));
        }

        if (g.MaxPredictionDrift is { } drift && !(drift is >= 0 and <= 1))
        {
            p.Add(new("$.release.guardrails.maxPredictionDrift", $"A Kolmogorov–Smirnov D is within [0, 1]; got {drift}."));
        }

        if (g.MinRequests is < 0 or > MaxMinRequests)
        {
            p.Add(new("$.release.guardrails.minRequests", $"Must be an integer within [0, {MaxMinRequests}]; got {g.MinRequests}."));
        }

        if (g.MinLiveQuality is { } quality)
        {
            if (Enum.IsDefined(spec.Task) && (quality.Metric is null || !MetricNames.For(spec.Task).Contains(quality.Metric)))
            {
                p.Add(new("$.release.guardrails.minLiveQuality.metric", ModelSpecValidator.UnknownMetric(quality.Metric ?? "null", spec.Task, MetricNames.For(spec.Task))));
            }

            if (!double.IsFinite(quality.Min))
            {
                p.Add(new("$.release.guardrails.minLiveQuality.min", "Must be a finite number."));
            }

            if (quality.MinLabels is < 1 or > MaxMinRequests)
            {
                p.Add(new("$.release.guardrails.minLiveQuality.minLabels", $"Must be an integer within [1, {MaxMinRequests}]; got {quality.MinLabels}."));
            }
        }
    }
}
