namespace Serverless.Core.Specs;

/// <summary>The value rules of a spec's <c>search</c>: the space must name the trainer's hyperparameters with ranges they accept.</summary>
internal static class SearchSpecValidator
{
    /// <summary>Hyperparameters that take integers: a sampled value is rounded, so the range ends must be integers too.</summary>
    public static readonly IReadOnlySet<string> IntegerHyperparameters =
        new HashSet<string>(StringComparer.Ordinal)
        {
            "numberOfTrees", "numberOfLeaves", "minimumExampleCountPerLeaf", "maximumNumberOfIterations",
            "hiddenLayers", "hiddenUnits", "batchSize", "epochs", "patience",
        };

    /// <summary>
    /// The mlp hyperparameters a sweep searches: what the network is and how it learns. workers, replicas and roundSteps
    /// only spread one fit over processors; a trial fits with the trainer's workers and one replica.
    /// </summary>
    public static readonly IReadOnlySet<string> MlpSearchable =
        new HashSet<string>(StringComparer.Ordinal) { "hiddenLayers", "hiddenUnits", "learningRate", "batchSize", "epochs", "patience", "l2Regularization" };

    public static void Validate(ModelSpec spec, List<SpecProblem> p)
    {
        if (spec.Search is not { } s || spec.Trainer is not { } trainer || !Enum.IsDefined(trainer.Type))
        {
            return;
        }

        ValidateSpace(s, trainer, p);
        ValidateBudget(s, p);
        ValidateStrategy(s, trainer, p);

        if (Enum.IsDefined(spec.Task) && s.Metric is not null && !MetricNames.For(spec.Task).Contains(s.Metric))
        {
            p.Add(new("$.search.metric", ModelSpecValidator.UnknownMetric(s.Metric, spec.Task, MetricNames.For(spec.Task))));
        }

        if (s.Folds is { } folds && folds is < 2 or > SearchSpecLimits.MaxFolds)
        {
            p.Add(new("$.search.folds", $"Must be an integer within [2, {SearchSpecLimits.MaxFolds}]; got {folds}."));
        }
    }

    private static void ValidateSpace(SearchSpec s, TrainerSpec trainer, List<SpecProblem> p)
    {
        if (s.Space is null || s.Space.Count == 0)
        {
            p.Add(new("$.search.space", "At least one hyperparameter to search is required."));
            return;
        }

        var known = trainer.Type switch
        {
            TrainerKind.Linear => TrainerSpec.LinearHyperparameters,
            TrainerKind.Mlp => MlpSearchable,
            _ => TrainerSpec.TreeHyperparameters,
        };
        var resource = SearchSpec.ResourceOf(trainer);
        foreach (var (name, d) in s.Space)
        {
            var path = $"$.search.space.{name}";
            if (trainer.Type == TrainerKind.Mlp && TrainerSpec.MlpHyperparameters.Contains(name) && !known.Contains(name))
            {
                p.Add(new(path, $"{name} spreads one fit over processors and does not change what it learns; trials fit with one replica and the trainer's workers. Search one of {string.Join(", ", known.Order(StringComparer.Ordinal))}."));
                continue;
            }

            if (!known.Contains(name))
            {
                p.Add(new(path, $"Unknown hyperparameter for a {trainer.Type} trainer; expected one of {string.Join(", ", known.Order(StringComparer.Ordinal))}."));
                continue;
            }

            if (s.Strategy == SearchStrategy.Asha && name == resource)
            {
                p.Add(new(path, $"ASHA sets {resource} per rung; put the final number in trainer.hyperparameters.{resource} instead."));
                continue;
            }

            if (d is null)
            {
                p.Add(new(path, "A dimension must be an object, not null."));
                continue;
            }

            ValidateDimension(name, d, path, p);
        }
    }

    private static void ValidateDimension(string name, SearchDimension d, string path, List<SpecProblem> p)
    {
        var integer = IntegerHyperparameters.Contains(name);
        switch (d.Type)
        {
            case SearchDistribution.Choice:
                if (d.Min is not null || d.Max is not null) p.Add(new(path, "A choice takes values, not min/max."));
                if (d.Values is null || d.Values.Count == 0)
                {
                    p.Add(new($"{path}.values", "A choice needs at least one value."));
                    return;
                }

                if (d.Values.Count > SearchSpecLimits.MaxChoiceValues)
                {
                    p.Add(new($"{path}.values", $"At most {SearchSpecLimits.MaxChoiceValues} values; got {d.Values.Count}."));
                }

                for (var k = 0; k < d.Values.Count; k++)
                {
                    if (ModelSpecValidator.CheckHyperparameter(name, d.Values[k]) is { } problem) p.Add(new($"{path}.values[{k}]", problem));
                }

                return;
            case SearchDistribution.Uniform or SearchDistribution.LogUniform or SearchDistribution.Int:
                if (d.Values is not null) p.Add(new($"{path}.values", $"Only a choice takes values; {Name(d.Type)} takes min and max."));
                if (d.Type == SearchDistribution.Int && !integer)
                {
                    p.Add(new($"{path}.type", $"{name} is not an integer hyperparameter; use uniform or logUniform."));
                }

                if (d.Min is not { } min || d.Max is not { } max)
                {
                    if (d.Min is null) p.Add(new($"{path}.min", $"A {Name(d.Type)} dimension needs min."));
                    if (d.Max is null) p.Add(new($"{path}.max", $"A {Name(d.Type)} dimension needs max."));
                    return;
                }

                var minProblem = ModelSpecValidator.CheckHyperparameter(name, min);
                var maxProblem = ModelSpecValidator.CheckHyperparameter(name, max);
                if (minProblem is not null) p.Add(new($"{path}.min", minProblem));
                if (maxProblem is not null) p.Add(new($"{path}.max", maxProblem));
                if (minProblem is null && maxProblem is null && min > max)
                {
                    p.Add(new($"{path}.min", $"min ({min}) is greater than max ({max})."));
                }

                if (d.Type == SearchDistribution.LogUniform && min <= 0 && minProblem is null)
                {
                    p.Add(new($"{path}.min", $"A logUniform dimension needs min > 0; got {min}."));
                }

                return;
            default:
                p.Add(new($"{path}.type", $"Unknown distribution {d.Type}."));
                return;
        }
    }

    private static void ValidateBudget(SearchSpec s, List<SpecProblem> p)
    {
        if (s.Trials is < 1 or > SearchSpecLimits.MaxTrials)
        {
            p.Add(new("$.search.trials", $"Must be an integer within [1, {SearchSpecLimits.MaxTrials}]; got {s.Trials}."));
        }

        if (s.Concurrency is < 1 or > SearchSpecLimits.MaxConcurrency)
        {
            p.Add(new("$.search.concurrency", $"Must be an integer within [1, {SearchSpecLimits.MaxConcurrency}]; got {s.Concurrency}."));
        }

        if (s.MaxWallTime is { } wall && (wall <= TimeSpan.Zero || wall > SearchSpecLimits.MaxWallTime))
        {
            p.Add(new("$.search.maxWallTime", $"Must be within (0, {SearchSpecLimits.MaxWallTime.TotalDays:0} days]; got {wall}."));
        }

        if (s.Direction is { } direction && !Enum.IsDefined(direction))
        {
            p.Add(new("$.search.direction", $"Unknown direction {direction}; use maximize or minimize."));
        }
    }

    private static void ValidateStrategy(SearchSpec s, TrainerSpec trainer, List<SpecProblem> p)
    {
        if (!Enum.IsDefined(s.Strategy))
        {
            p.Add(new("$.search.strategy", $"Unknown strategy {s.Strategy}; use random or asha."));
            return;
        }

        if (s.Strategy != SearchStrategy.Asha)
        {
            if (s.MinResource is not null) p.Add(new("$.search.minResource", "Only the asha strategy takes minResource."));
            return;
        }

        if (trainer.Type is not (TrainerKind.LightGbm or TrainerKind.FastTree or TrainerKind.Mlp))
        {
            p.Add(new("$.search.strategy", $"ASHA spends {SearchSpec.Resource} (mlp: {SearchSpec.EpochsResource}) in rungs; it needs a lightgbm, fasttree or mlp trainer."));
            return;
        }

        if (s.ReductionFactor is < 2 or > SearchSpecLimits.MaxReductionFactor)
        {
            p.Add(new("$.search.reductionFactor", $"Must be an integer within [2, {SearchSpecLimits.MaxReductionFactor}]; got {s.ReductionFactor}."));
            return;
        }

        var max = SearchSpec.MaxResourceOf(trainer);
        if (s.MinResource is { } min && (min < 1 || min >= max))
        {
            var fallback = trainer.Type == TrainerKind.Mlp ? TrainerSpec.DefaultEpochs : TrainerSpec.DefaultNumberOfTrees;
            p.Add(new("$.search.minResource", $"Must be an integer within [1, {max}) (trainer.hyperparameters.{SearchSpec.ResourceOf(trainer)}, default {fallback}); got {min}."));
        }
    }

    private static string Name(SearchDistribution d) => ModelSpecShape.EnumNames(typeof(SearchDistribution))[(int)d];
}
