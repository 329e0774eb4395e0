using System.Reflection;
using NCrontab;

namespace Serverless.Core.Specs;

/// <summary>
/// The value rules of a spec's <c>monitoring</c> section. The drift timer, feedback and live quality read these
/// fields for every model, so a bad one must be refused when the spec is stored, not found later in the timer.
/// </summary>
internal static class MonitoringSpecValidator
{
    /// <summary>How the drift timer parses <see cref="MonitoringSpec.DriftSchedule"/> (six fields, seconds first).</summary>
    public static readonly CrontabSchedule.ParseOptions ScheduleOptions = new() { IncludingSeconds = true };

    /// <summary>Every drift method name <see cref="DriftMethods"/> declares.</summary>
    public static readonly IReadOnlyList<string> DriftMethodNames =
        [.. typeof(DriftMethods).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)];

    public static void Validate(ModelSpec spec, List<SpecProblem> p)
    {
        var m = spec.Monitoring;
        if (m is null)
        {
            p.Add(new("$.monitoring", "monitoring must be an object; leave it out for the defaults."));
            return;
        }

        if (!(m.SampleRate is >= 0 and <= 1))
        {
            p.Add(new("$.monitoring.sampleRate", $"Must be within [0, 1]; got {m.SampleRate}."));
        }

        if (m.DriftSchedule is null)
        {
            p.Add(new("$.monitoring.driftSchedule", "driftSchedule must be an NCRONTAB expression."));
        }
        else if (CrontabSchedule.TryParse(m.DriftSchedule, ScheduleOptions) is null)
        {
            p.Add(new("$.monitoring.driftSchedule",
                $"'{m.DriftSchedule}' is not an NCRONTAB expression with six fields (second minute hour day month weekday), e.g. \"0 0 * * * *\" for hourly."));
        }

        ValidateDrift(spec, m.Drift, p);
        ValidateQuality(spec, m, p);

        Duration(p, "$.monitoring.feedbackWindow", m.FeedbackWindow, ModelSpecLimits.MaxFeedbackWindow, allowZero: false);
        Duration(p, "$.monitoring.retrainCooldown", m.RetrainCooldown, ModelSpecLimits.MaxRetrainCooldown, allowZero: true);

        if (m.LabelingConfidenceThreshold is { } confidence)
        {
            if (spec.Task == ModelTask.Regression)
            {
                p.Add(new("$.monitoring.labelingConfidenceThreshold", "Regression predictions have no confidence; leave labelingConfidenceThreshold out."));
            }
            else if (!(confidence is > 0 and <= 1))
            {
                p.Add(new("$.monitoring.labelingConfidenceThreshold", $"Must be within (0, 1]; got {confidence}."));
            }
        }
    }

    private static void ValidateDrift(ModelSpec spec, DriftSpec? d, List<SpecProblem> p)
    {
        if (d is null)
        {
            p.Add(new("$.monitoring.drift", "drift must be an object; leave it out for the defaults."));
            return;
        }

        Duration(p, "$.monitoring.drift.window", d.Window, ModelSpecLimits.MaxMonitoringWindow, allowZero: false);
        if (d.MinWindowRows < 1 || d.MinWindowRows > ModelSpecLimits.MaxMinWindowRows)
        {
            p.Add(new("$.monitoring.drift.minWindowRows", $"Must be an integer within [1, {ModelSpecLimits.MaxMinWindowRows}]; got {d.MinWindowRows}."));
        }

        if (!(d.DatasetDriftShare is > 0 and <= 1))
        {
            p.Add(new("$.monitoring.drift.datasetDriftShare", $"Must be within (0, 1]; got {d.DatasetDriftShare}."));
        }

        if (d.PValueThreshold is { } pValue && !(pValue is > 0 and < 1))
        {
            p.Add(new("$.monitoring.drift.pValueThreshold", $"A p-value threshold must be within (0, 1); got {pValue}."));
        }

        if (d.DistanceThreshold is { } distance && !(distance > 0 && double.IsFinite(distance)))
        {
            p.Add(new("$.monitoring.drift.distanceThreshold", $"Must be a finite number > 0; got {distance}."));
        }

        foreach (var (name, over) in d.Features ?? new Dictionary<string, FeatureDriftOverride>())
        {
            var path = $"$.monitoring.drift.features.{name}";
            var feature = spec.Features?.FirstOrDefault(f => f?.Name == name);
            var isPrediction = name == DriftSpec.PredictionFeature;
            if (feature is null && !isPrediction)
            {
                p.Add(new(path, $"'{name}' is not a feature; drift overrides name a feature or '{DriftSpec.PredictionFeature}'."));
                continue;
            }

            if (over is null)
            {
                p.Add(new(path, "An override must be an object, not null."));
                continue;
            }

            if (over.Method is { } method)
            {
                if (!DriftMethods.IsKnown(method))
                {
                    p.Add(new($"{path}.method", $"method must be one of {string.Join(", ", DriftMethodNames)}; got '{method}'."));
                }
                else if (DriftMethods.NeedsOrder(method) && (feature?.Type == FeatureType.Categorical || (isPrediction && spec.Task == ModelTask.Multiclass)))
                {
                    p.Add(new($"{path}.method", $"'{method}' needs an ordered (numeric) column; '{name}' is categorical."));
                }
            }

            if (over.Threshold is { } threshold)
            {
                if (!(threshold > 0 && double.IsFinite(threshold)))
                {
                    p.Add(new($"{path}.threshold", $"Must be a finite number > 0; got {threshold}."));
                }
                else if (over.Method is { } m && DriftMethods.IsPValueTest(m) && threshold >= 1)
                {
                    p.Add(new($"{path}.threshold", $"'{m}' compares a p-value: the threshold must be < 1; got {threshold}."));
                }
            }
        }
    }

    private static void ValidateQuality(ModelSpec spec, MonitoringSpec m, List<SpecProblem> p)
    {
        if (m.QualityWindows is null || m.QualityWindows.Count == 0 || m.QualityWindows.Count > ModelSpecLimits.MaxQualityWindows)
        {
            p.Add(new("$.monitoring.qualityWindows", $"Must list 1 to {ModelSpecLimits.MaxQualityWindows} windows; got {m.QualityWindows?.Count.ToString() ?? "null"}."));
        }
        else
        {
            var seen = new HashSet<TimeSpan>();
            for (var i = 0; i < m.QualityWindows.Count; i++)
            {
                var path = $"$.monitoring.qualityWindows[{i}]";
                Duration(p, path, m.QualityWindows[i], ModelSpecLimits.MaxMonitoringWindow, allowZero: false);
                if (!seen.Add(m.QualityWindows[i])) p.Add(new(path, $"Duplicate window {m.QualityWindows[i]}."));
            }
        }

        if (m.QualityMetric is not null && Enum.IsDefined(spec.Task) && !MetricNames.For(spec.Task).Contains(m.QualityMetric))
        {
            p.Add(new("$.monitoring.qualityMetric", ModelSpecValidator.UnknownMetric(m.QualityMetric, spec.Task, MetricNames.For(spec.Task))));
        }

        // One without the other would silently never alert.
        if (m.QualityMetric is not null && m.QualityFloor is null)
        {
            p.Add(new("$.monitoring.qualityFloor", "qualityMetric needs a qualityFloor."));
        }
        else if (m.QualityMetric is null && m.QualityFloor is not null)
        {
            p.Add(new("$.monitoring.qualityMetric", "qualityFloor needs a qualityMetric."));
        }

        if (m.QualityFloor is { } floor && !double.IsFinite(floor))
        {
            p.Add(new("$.monitoring.qualityFloor", "Must be a finite number."));
        }
    }

    private static void Duration(List<SpecProblem> p, string path, TimeSpan value, TimeSpan max, bool allowZero)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero) || value > max)
        {
            p.Add(new(path, $"Must be within {(allowZero ? "[0" : "(0")}, {max.TotalDays:0} days]; got {value}."));
        }
    }
}
