namespace Serverless.Core.Specs;

/// <summary>How a model is watched in production: logging, live quality, drift, retraining and labeling.</summary>
public sealed record MonitoringSpec
{
    /// <summary>Share of predict requests whose rows are logged (0–1).</summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>NCRONTAB (six fields, with seconds) for drift checks; default hourly.</summary>
    public string DriftSchedule { get; init; } = "0 0 * * * *";

    public DriftSpec Drift { get; init; } = new();

    /// <summary>Live windows over which quality metrics are reported.</summary>
    public IReadOnlyList<TimeSpan> QualityWindows { get; init; } = [TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(7)];

    /// <summary>Alert (and retrain) when this live metric crosses <see cref="QualityFloor"/> over the shortest window with enough labels.</summary>
    public string? QualityMetric { get; init; }

    /// <summary>Minimum (or, for error metrics, maximum) acceptable value of <see cref="QualityMetric"/>.</summary>
    public double? QualityFloor { get; init; }

    /// <summary>Labels older than this (relative to their prediction) are rejected.</summary>
    public TimeSpan FeedbackWindow { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Start a retraining run when drift or low quality is detected.</summary>
    public bool RetrainOnDrift { get; init; } = true;

    /// <summary>At most one drift-triggered run per model within this period.</summary>
    public TimeSpan RetrainCooldown { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Predictions whose confidence is below this go to the labeling queue; null disables the queue.</summary>
    public double? LabelingConfidenceThreshold { get; init; }
}

/// <summary>Drift detection settings (Evidently's defaults unless overridden).</summary>
public sealed record DriftSpec
{
    /// <summary>The name under which drift overrides (and the drift reference) address the model's output.</summary>
    public const string PredictionFeature = "prediction";

    /// <summary>How far back logged predictions are compared with the training reference.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Below this many logged rows the verdict is "insufficient data", not "no drift".</summary>
    public int MinWindowRows { get; init; } = 100;

    /// <summary>Dataset drift when at least this share of features drift.</summary>
    public double DatasetDriftShare { get; init; } = 0.5;

    /// <summary>Per-feature overrides of method and threshold (the prediction column is named "prediction").</summary>
    public IReadOnlyDictionary<string, FeatureDriftOverride>? Features { get; init; }

    /// <summary>Threshold override for every feature using a p-value test (KS, χ², Z); default 0.05.</summary>
    public double? PValueThreshold { get; init; }

    /// <summary>Threshold override for every feature using a distance (Wasserstein, Jensen–Shannon); default 0.1.</summary>
    public double? DistanceThreshold { get; init; }
}

/// <param name="Method">One of ks, chisquare, z, wasserstein, jensenshannon, psi; null keeps the default choice.</param>
/// <param name="Threshold">p-value (tests), distance, or PSI above which the feature drifts.</param>
public sealed record FeatureDriftOverride(string? Method = null, double? Threshold = null);
