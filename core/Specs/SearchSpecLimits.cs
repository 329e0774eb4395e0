namespace Serverless.Core.Specs;

/// <summary>Bounds on a spec's <c>search</c>: each keeps a run's cost bounded (schemas/model.schema.json states the same).</summary>
public static class SearchSpecLimits
{
    /// <summary>Each trial is an activity (ASHA: up to one per rung) and a row of the run's trial table.</summary>
    public const int MaxTrials = 200;

    /// <summary>Trials in flight at once: each holds the training split and a fit in a worker's memory.</summary>
    public const int MaxConcurrency = 16;

    /// <summary>Each fold is a fit per trial.</summary>
    public const int MaxFolds = 10;

    public const int MaxReductionFactor = 10;

    public const int MaxChoiceValues = 100;

    public static readonly TimeSpan MaxWallTime = TimeSpan.FromDays(7);
}
