namespace Serverless.Core.Specs;

/// <summary>
/// A hyperparameter sweep (<c>search</c> in <c>model.json</c>): the pipeline tries <see cref="Trials"/> settings of the
/// trainer's hyperparameters on a validation split carved from the training split, then trains the best one on the
/// whole training split. The holdout stays untouched for the gate.
/// </summary>
public sealed record SearchSpec
{
    /// <summary>One distribution per trainer hyperparameter (names as in <c>trainer.hyperparameters</c>).</summary>
    public required IReadOnlyDictionary<string, SearchDimension> Space { get; init; }

    /// <summary>How many settings are sampled (ASHA: how many start in the first rung).</summary>
    public int Trials { get; init; } = 20;

    /// <summary>No trial starts after this much time in the sweep; the ones running finish and count.</summary>
    public TimeSpan? MaxWallTime { get; init; }

    /// <summary>Trials running at once (activities in flight).</summary>
    public int Concurrency { get; init; } = 4;

    public SearchStrategy Strategy { get; init; } = SearchStrategy.Random;

    /// <summary>ASHA: trees (mlp: epochs) in the first rung (default: the final number ÷ reductionFactor²).</summary>
    public int? MinResource { get; init; }

    /// <summary>ASHA: each rung keeps 1/reductionFactor of the trials and gives them reductionFactor times the trees (epochs).</summary>
    public int ReductionFactor { get; init; } = 3;

    /// <summary>What the trials are ranked by (default: the gate's comparison metric, else the task's default).</summary>
    public string? Metric { get; init; }

    /// <summary>Default: the metric's better direction.</summary>
    public SearchDirection? Direction { get; init; }

    /// <summary>k-fold cross-validation on the training split instead of one validation split.</summary>
    public int? Folds { get; init; }

    /// <summary>Trial i's setting is a function of (seed, i) only.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The hyperparameter ASHA spends in rungs for tree trainers: its final value is the trainer's.</summary>
    public const string Resource = "numberOfTrees";

    /// <summary>The hyperparameter ASHA spends in rungs for an mlp.</summary>
    public const string EpochsResource = "epochs";

    /// <summary>The metric trials are ranked by: <see cref="Metric"/>, else the gate's comparison metric, else the task's default.</summary>
    public string MetricFor(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Metric ?? spec.Gates?.Comparison?.Metric ?? spec.Task switch
        {
            ModelTask.Binary => MetricNames.Auc,
            ModelTask.Multiclass => MetricNames.LogLoss,
            _ => MetricNames.Rmse,
        };
    }

    public bool Maximizes(ModelSpec spec) => Direction is { } d ? d == SearchDirection.Maximize : MetricNames.HigherIsBetter(MetricFor(spec));

    /// <summary>ASHA's resource for the trainer: epochs for an mlp, the number of trees otherwise.</summary>
    public static string ResourceOf(TrainerSpec trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        return trainer.Type == TrainerKind.Mlp ? EpochsResource : Resource;
    }

    /// <summary>ASHA: the resource of the last rung (the trainer's numberOfTrees, or an mlp's epochs).</summary>
    public static int MaxResourceOf(TrainerSpec trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var fallback = trainer.Type == TrainerKind.Mlp ? TrainerSpec.DefaultEpochs : TrainerSpec.DefaultNumberOfTrees;
        return trainer.Get(ResourceOf(trainer)) is { } final ? (int)Math.Round(final) : fallback;
    }

    /// <summary>ASHA: the resource of the first rung.</summary>
    public int MinResourceOf(TrainerSpec trainer) =>
        MinResource ?? Math.Max(1, (int)Math.Ceiling(MaxResourceOf(trainer) / (double)(ReductionFactor * ReductionFactor)));
}
