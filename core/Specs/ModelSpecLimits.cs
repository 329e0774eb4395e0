namespace Serverless.Core.Specs;

/// <summary>
/// Upper bounds on a model spec. None is a limit of ML.NET or ONNX Runtime unless it says so: they are sizes past which
/// a spec is far more likely a mistake (a unit slip, a generated list gone wrong) than a model anyone means to train,
/// and each keeps a per-request or per-run cost bounded. schemas/model.schema.json states the same numbers.
/// </summary>
public static class ModelSpecLimits
{
    /// <summary>Column names, class names, categories and missing-value tokens.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Each feature is an ONNX graph input and a column of every predict request and prediction log.</summary>
    public const int MaxFeatures = 1_000;

    /// <summary>Each category is a one-hot slot of the model's feature vector.</summary>
    public const int MaxCategoriesPerFeature = 10_000;

    public const int MaxClasses = 1_000;

    /// <summary>Every CSV cell is compared with every token.</summary>
    public const int MaxMissingValues = 100;

    public const int MaxGateThresholds = 20;

    public const int MaxNumberOfTrees = 10_000;

    /// <summary>LightGBM's own bound on <c>num_leaves</c> (1 &lt; num_leaves ≤ 131072).</summary>
    public const int MaxNumberOfLeaves = 131_072;

    public const int MaxMinimumExampleCountPerLeaf = 1_000_000;

    public const int MaxIterations = 100_000;

    public const double MaxRegularization = 10_000;

    /// <summary>MLP replicas (trainer job executions) in one run: each round reads every replica's gradient blob.</summary>
    public const int MaxReplicas = 16;

    /// <summary>Local steps per replica round (1 = synchronous gradient averaging).</summary>
    public const int MaxRoundSteps = 1000;

    /// <summary>How long a run waits for the GPU trainer at most.</summary>
    public static readonly TimeSpan MaxTrainerTimeout = TimeSpan.FromDays(7);

    /// <summary>Drift and live-quality windows: each hour in a window is a prediction-log folder read per check.</summary>
    public static readonly TimeSpan MaxMonitoringWindow = TimeSpan.FromDays(90);

    public const int MaxQualityWindows = 10;

    public const int MaxMinWindowRows = 10_000_000;

    /// <summary>Feedback window and retrain cooldown.</summary>
    public static readonly TimeSpan MaxFeedbackWindow = TimeSpan.FromDays(365);

    public static readonly TimeSpan MaxRetrainCooldown = TimeSpan.FromDays(365);

    /// <summary>Model card free text (description, intended use, limitations): shown on every card page.</summary>
    public const int MaxCardTextLength = 4_000;

    /// <summary>Slice columns on a model card: each adds a metrics table per category.</summary>
    public const int MaxCardSlices = 5;

    /// <summary>Categories kept apart per slice column (the rest pooled as "other").</summary>
    public const int MaxCardTopCategories = 50;
}
