using System.Text.Json;

namespace Serverless.Core.Specs;

/// <summary>
/// Checks a <see cref="ModelSpec"/> before anything is trained on it. Every problem is listed (not just the first)
/// so a user can fix a spec in one round trip. Paths use the JSON (camelCase) names.
/// </summary>
public static class ModelSpecValidator
{
    /// <summary>
    /// Reads and validates a spec sent by a user (PUT, a file in the models container): every problem, JSON-level
    /// (syntax, unknown or duplicate keys, wrong kinds, enum names, nulls) and value-level, is listed at once; none throws.
    /// </summary>
    public static ModelSpecParseResult Parse(string json) => Parse(json, stored: false);

    /// <param name="json">The document.</param>
    /// <param name="stored">True for a spec read back from <c>models/{model}/model.json</c>: keys that earlier versions
    /// wrote there and no longer read are ignored instead of reported (<see cref="ModelSpecShape.RetiredKeys"/>).</param>
    /// <returns>The spec is null when the JSON is not the shape of a spec; the problems still include the value rules
    /// for every part that was readable.</returns>
    public static ModelSpecParseResult Parse(string json, bool stored)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = PlatformJson.Options.MaxDepth });
        }
        catch (JsonException e)
        {
            return new ModelSpecParseResult(null, [new SpecProblem("$", FirstLine(e.Message))]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Null)
            {
                return new ModelSpecParseResult(null, [new SpecProblem("$", "The spec is JSON null.")]);
            }

            var (shape, sanitized) = ModelSpecShape.Check(document.RootElement, stored);
            ModelSpec? spec = null;
            var problems = new List<SpecProblem>(shape);
            try
            {
                spec = sanitized?.Deserialize<ModelSpec>(PlatformJson.Options);
            }
            catch (JsonException e)
            {
                // The copy without the bad values should always read; if it does not, say so rather than throw.
                if (shape.Count == 0) problems.Add(new SpecProblem("$", FirstLine(e.Message)));
            }

            if (spec is not null)
            {
                // A value rule at or under a path the JSON-level pass already reported would only restate it.
                problems.AddRange(Validate(spec).Where(v => !shape.Any(s => Covers(s.Path, v.Path))));
            }

            return new ModelSpecParseResult(shape.Count == 0 ? spec : null, problems);
        }
    }

    private static bool Covers(string reported, string path) =>
        path == reported || path.StartsWith(reported + ".", StringComparison.Ordinal) || path.StartsWith(reported + "[", StringComparison.Ordinal);

    /// <summary>The value rules on an already deserialized spec: bounds, cross-field consistency, task-specific fields.</summary>
    public static IReadOnlyList<SpecProblem> Validate(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new List<SpecProblem>();

        // JsonStringEnumConverter also accepts integers, so an out-of-range enum can arrive from JSON.
        if (!Enum.IsDefined(spec.Task))
        {
            p.Add(new("$.task", $"Unknown task {spec.Task}; expected one of {string.Join(", ", ModelSpecShape.EnumNames(typeof(ModelTask)))}."));
        }

        ValidateFeatures(spec, p);
        FeatureViewReference.Validate(spec, p);
        ValidateLabel(spec, p);
        ValidatePositiveClass(spec, p);
        ValidateMissingValues(spec, p);
        ValidateTrainer(spec.Trainer, spec.Task, p);
        ValidateHoldout(spec.Holdout, p);
        ValidateGates(spec, p);

        if (!(spec.MaxInvalidRowFraction is >= 0 and <= 1))
        {
            p.Add(new("$.maxInvalidRowFraction", $"Must be within [0, 1]; got {spec.MaxInvalidRowFraction}."));
        }

        ValidateMinimumRows(spec.MinimumRows, p);
        MonitoringSpecValidator.Validate(spec, p);
        SearchSpecValidator.Validate(spec, p);
        ModelCardSpecValidator.Validate(spec, p);
        ReleaseSpecValidator.Validate(spec, p);
        return p;
    }

    private static void ValidateFeatures(ModelSpec spec, List<SpecProblem> p)
    {
        // Deserialized JSON can hold nulls where the C# types say otherwise.
        if (spec.Features is null || spec.Features.Count == 0)
        {
            p.Add(new("$.features", "At least one feature is required."));
            return;
        }

        if (spec.Features.Count > ModelSpecLimits.MaxFeatures)
        {
            p.Add(new("$.features", $"At most {ModelSpecLimits.MaxFeatures} features; got {spec.Features.Count}."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Features.Count; i++)
        {
            var path = $"$.features[{i}]";
            var f = spec.Features[i];
            if (f is null)
            {
                p.Add(new(path, "A feature must be an object, not null."));
                continue;
            }

            if (string.IsNullOrWhiteSpace(f.Name))
            {
                p.Add(new($"{path}.name", "Feature name must not be empty."));
            }
            else if (f.Name.Length > ModelSpecLimits.MaxNameLength)
            {
                p.Add(new($"{path}.name", TooLong(f.Name)));
            }
            else if (f.Name != f.Name.Trim())
            {
                // Headers are trimmed on read, so a padded name could never match a column.
                p.Add(new($"{path}.name", $"Feature name '{f.Name}' has leading or trailing whitespace."));
            }
            else if (!seen.Add(f.Name))
            {
                p.Add(new($"{path}.name", $"Duplicate feature name '{f.Name}'."));
            }
            else if (f.Name == spec.Label)
            {
                p.Add(new($"{path}.name", $"'{f.Name}' is the label; it cannot also be a feature."));
            }

            if (!Enum.IsDefined(f.Type))
            {
                p.Add(new($"{path}.type", $"Unknown feature type {f.Type}."));
                continue;
            }

            if (!Enum.IsDefined(f.UnknownCategory))
            {
                p.Add(new($"{path}.unknownCategory", $"Unknown policy {f.UnknownCategory}."));
            }

            if (!Enum.IsDefined(f.Log))
            {
                p.Add(new($"{path}.log", $"Unknown log mode {f.Log}; use raw, hash or omit."));
            }

            ValidateBounds(f, path, p);
            ValidateCategories(f, path, p);
        }
    }

    private static void ValidateBounds(FeatureSpec f, string path, List<SpecProblem> p)
    {
        if (f.Type != FeatureType.Numeric)
        {
            if (f.Min is not null) p.Add(new($"{path}.min", "Only numeric features take bounds."));
            if (f.Max is not null) p.Add(new($"{path}.max", "Only numeric features take bounds."));
            return;
        }

        if (f.Min is { } min && !double.IsFinite(min)) p.Add(new($"{path}.min", "Bound must be a finite number."));
        if (f.Max is { } max && !double.IsFinite(max)) p.Add(new($"{path}.max", "Bound must be a finite number."));
        if (f.Min > f.Max) p.Add(new($"{path}.min", $"min ({f.Min}) is greater than max ({f.Max})."));
    }

    private static void ValidateCategories(FeatureSpec f, string path, List<SpecProblem> p)
    {
        if (f.Type != FeatureType.Categorical)
        {
            if (f.Categories is not null) p.Add(new($"{path}.categories", "Only categorical features take categories."));
            if (f.UnknownCategory != UnknownCategoryPolicy.Reject)
            {
                p.Add(new($"{path}.unknownCategory", "Only categorical features take an unknown-category policy."));
            }

            return;
        }

        if (f.Categories is null || f.Categories.Count == 0)
        {
            if (f.UnknownCategory == UnknownCategoryPolicy.Reject)
            {
                p.Add(new($"{path}.categories", "A categorical feature that rejects unknown categories must list its categories."));
            }

            return;
        }

        if (f.Categories.Count > ModelSpecLimits.MaxCategoriesPerFeature)
        {
            p.Add(new($"{path}.categories", $"At most {ModelSpecLimits.MaxCategoriesPerFeature} categories; got {f.Categories.Count}."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < f.Categories.Count; k++)
        {
            var c = f.Categories[k];
            if (string.IsNullOrWhiteSpace(c))
            {
                p.Add(new($"{path}.categories[{k}]", "Category must not be empty."));
            }
            else if (c.Length > ModelSpecLimits.MaxNameLength)
            {
                p.Add(new($"{path}.categories[{k}]", TooLong(c)));
            }
            else if (!seen.Add(c))
            {
                p.Add(new($"{path}.categories[{k}]", $"Duplicate category '{c}'."));
            }
        }
    }

    private static void ValidateLabel(ModelSpec spec, List<SpecProblem> p)
    {
        if (string.IsNullOrWhiteSpace(spec.Label))
        {
            p.Add(new("$.label", "Label column name must not be empty."));
        }
        else if (spec.Label != spec.Label.Trim())
        {
            p.Add(new("$.label", $"Label column name '{spec.Label}' has leading or trailing whitespace; headers are trimmed, so it would never match."));
        }
        else if (spec.Label.Length > ModelSpecLimits.MaxNameLength)
        {
            p.Add(new("$.label", TooLong(spec.Label)));
        }

        if (spec.Classes is null)
        {
            return;
        }

        // With an unknown task (reported on its own) there is no telling which fields belong.
        if (!Enum.IsDefined(spec.Task))
        {
            return;
        }

        if (spec.Task != ModelTask.Multiclass)
        {
            p.Add(new("$.classes", "Only multiclass models take classes."));
            return;
        }

        if (spec.Classes.Count < 2)
        {
            p.Add(new("$.classes", $"A multiclass model needs at least 2 classes; got {spec.Classes.Count}."));
        }
        else if (spec.Classes.Count > ModelSpecLimits.MaxClasses)
        {
            p.Add(new("$.classes", $"At most {ModelSpecLimits.MaxClasses} classes; got {spec.Classes.Count}."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < spec.Classes.Count; k++)
        {
            var c = spec.Classes[k];
            if (string.IsNullOrWhiteSpace(c))
            {
                p.Add(new($"$.classes[{k}]", "Class must not be empty."));
            }
            else if (c.Length > ModelSpecLimits.MaxNameLength)
            {
                p.Add(new($"$.classes[{k}]", TooLong(c)));
            }
            else if (!seen.Add(c))
            {
                p.Add(new($"$.classes[{k}]", $"Duplicate class '{c}'."));
            }
        }
    }

    private static void ValidatePositiveClass(ModelSpec spec, List<SpecProblem> p)
    {
        if (spec.PositiveClass is not { } positive || !Enum.IsDefined(spec.Task))
        {
            return;
        }

        if (spec.Task != ModelTask.Binary)
        {
            p.Add(new("$.positiveClass", "Only binary models take positiveClass."));
        }
        else if (string.IsNullOrWhiteSpace(positive))
        {
            p.Add(new("$.positiveClass", "positiveClass must not be empty; leave it out when the labels are true/false, 1/0 or yes/no."));
        }
        else if (positive != positive.Trim())
        {
            p.Add(new("$.positiveClass", $"positiveClass '{positive}' has leading or trailing whitespace; values are trimmed, so it would never match."));
        }
        else if (positive.Length > ModelSpecLimits.MaxNameLength)
        {
            p.Add(new("$.positiveClass", TooLong(positive)));
        }
        else if (spec.MissingValues?.Contains(positive, StringComparer.Ordinal) == true)
        {
            p.Add(new("$.positiveClass", $"positiveClass '{positive}' is also a missing-value token; those labels would be read as missing."));
        }
    }

    private static void ValidateMissingValues(ModelSpec spec, List<SpecProblem> p)
    {
        if (spec.MissingValues is null)
        {
            p.Add(new("$.missingValues", "Must be a list (it may be empty)."));
            return;
        }

        if (spec.MissingValues.Count > ModelSpecLimits.MaxMissingValues)
        {
            p.Add(new("$.missingValues", $"At most {ModelSpecLimits.MaxMissingValues} tokens; got {spec.MissingValues.Count}."));
        }

        var seenTokens = new HashSet<string>(StringComparer.Ordinal);

        // A token that is also a legal value would silently turn real data into missing data.
        // Blank categories and classes are reported on their own; repeating them here would be noise.
        var legal = (spec.Features ?? []).SelectMany(f => f?.Categories ?? []).Concat(spec.Classes ?? [])
            .Where(c => !string.IsNullOrWhiteSpace(c))
            .ToHashSet(StringComparer.Ordinal);

        for (var k = 0; k < spec.MissingValues.Count; k++)
        {
            var t = spec.MissingValues[k];
            if (t is null)
            {
                p.Add(new($"$.missingValues[{k}]", "Token must be a string."));
            }
            else if (t != t.Trim())
            {
                p.Add(new($"$.missingValues[{k}]", $"Token '{t}' has surrounding whitespace; values are compared after trimming, so it never matches."));
            }
            else if (t.Length > ModelSpecLimits.MaxNameLength)
            {
                p.Add(new($"$.missingValues[{k}]", TooLong(t)));
            }
            else if (legal.Contains(t))
            {
                p.Add(new($"$.missingValues[{k}]", $"Token '{t}' is also a declared category or class."));
            }
            else if (!seenTokens.Add(t))
            {
                p.Add(new($"$.missingValues[{k}]", $"Duplicate token '{t}'."));
            }
        }
    }

    private static void ValidateTrainer(TrainerSpec? t, ModelTask task, List<SpecProblem> p)
    {
        if (t is null)
        {
            p.Add(new("$.trainer", "Trainer must be an object."));
            return;
        }

        if (!Enum.IsDefined(t.Type))
        {
            p.Add(new("$.trainer.type", $"Unknown trainer type {t.Type}."));
            return;
        }

        if (t.Compute is not null && !TrainerSpec.ComputeValues.Contains(t.Compute))
        {
            p.Add(new("$.trainer.compute", $"Unknown compute '{t.Compute}'; expected one of {string.Join(", ", TrainerSpec.ComputeValues.Select(v => $"'{v}'"))}."));
        }

        if (t.Timeout is { } timeout)
        {
            if (t.AlwaysInActivity)
            {
                p.Add(new("$.trainer.timeout", $"Only a run that can train on the trainer job (compute '{TrainerSpec.Auto}', '{TrainerSpec.Job}' or '{TrainerSpec.Gpu}', or type mlp) takes a timeout; compute '{TrainerSpec.Cpu}' always trains in the activity."));
            }
            else if (timeout <= TimeSpan.Zero || timeout > ModelSpecLimits.MaxTrainerTimeout)
            {
                p.Add(new("$.trainer.timeout", $"Must be within (0, {ModelSpecLimits.MaxTrainerTimeout.TotalDays:0} days]; got {timeout}."));
            }
        }

        var linear = t.Type == TrainerKind.Linear;
        if (t.Solver is not null)
        {
            if (!linear)
            {
                p.Add(new("$.trainer.solver", "Only the linear trainer takes a solver."));
            }
            else if (t.Solver is not (TrainerSpec.Sdca or TrainerSpec.Lbfgs))
            {
                p.Add(new("$.trainer.solver", $"Unknown solver '{t.Solver}'; expected '{TrainerSpec.Sdca}' or '{TrainerSpec.Lbfgs}'."));
            }
            else if (t.Solver == TrainerSpec.Lbfgs && task == ModelTask.Regression)
            {
                // ML.NET's only L-BFGS regressor is Poisson, which is wrong for general targets.
                p.Add(new("$.trainer.solver", $"The '{TrainerSpec.Lbfgs}' solver has no least-squares regression; use '{TrainerSpec.Sdca}' for regression."));
            }
        }

        if (t.Hyperparameters is null)
        {
            return;
        }

        var known = t.Type switch
        {
            TrainerKind.Linear => TrainerSpec.LinearHyperparameters,
            TrainerKind.Mlp => TrainerSpec.MlpHyperparameters,
            _ => TrainerSpec.TreeHyperparameters,
        };
        foreach (var (name, value) in t.Hyperparameters)
        {
            var path = $"$.trainer.hyperparameters.{name}";
            if (!known.Contains(name))
            {
                p.Add(new(path, $"Unknown hyperparameter for a {t.Type} trainer; expected one of {string.Join(", ", known.Order(StringComparer.Ordinal))}."));
                continue;
            }

            var problem = CheckHyperparameter(name, value);
            if (problem is not null) p.Add(new(path, problem));
        }
    }

    internal static string? CheckHyperparameter(string name, double v)
    {
        if (!double.IsFinite(v)) return "Must be a finite number.";
        return name switch
        {
            "numberOfTrees" => IntegerIn(v, 1, ModelSpecLimits.MaxNumberOfTrees),
            "minimumExampleCountPerLeaf" => IntegerIn(v, 1, ModelSpecLimits.MaxMinimumExampleCountPerLeaf),
            "maximumNumberOfIterations" => IntegerIn(v, 1, ModelSpecLimits.MaxIterations),
            "numberOfLeaves" => IntegerIn(v, 2, ModelSpecLimits.MaxNumberOfLeaves),

            // A step larger than the whole gradient overshoots with every learner here (boosting shrinkage, Adam).
            "learningRate" => v is > 0 and <= 1 ? null : $"Must be within (0, 1]; got {v}.",
            "hiddenLayers" => IntegerIn(v, 1, 16),
            "hiddenUnits" => IntegerIn(v, 1, 4096),
            "batchSize" => IntegerIn(v, 1, 65536),
            "epochs" => IntegerIn(v, 1, 10000),
            "patience" => IntegerIn(v, 1, 1000),

            // More data-parallel workers than that only shards batches into slivers.
            "workers" => IntegerIn(v, 1, 64),

            // Trainer job executions synchronising through storage each step (the job's maxExecutions must allow them).
            "replicas" => IntegerIn(v, 1, ModelSpecLimits.MaxReplicas),

            // Local steps between weight averages across replicas: past an epoch's worth it never syncs mid-epoch.
            "roundSteps" => IntegerIn(v, 1, ModelSpecLimits.MaxRoundSteps),
            "l1Regularization" or "l2Regularization" => v >= 0 && v <= ModelSpecLimits.MaxRegularization ? null : $"Must be within [0, {ModelSpecLimits.MaxRegularization}]; got {v}.",
            _ => null,
        };
    }

    private static string? IntegerIn(double v, int min, int max) =>
        double.IsInteger(v) && v >= min && v <= max ? null : $"Must be an integer within [{min}, {max}]; got {v}.";

    private static void ValidateHoldout(HoldoutSpec? h, List<SpecProblem> p)
    {
        if (h is null)
        {
            p.Add(new("$.holdout", "Holdout must be an object."));
        }
        else if (!(h.Fraction is > 0 and <= 0.9))
        {
            p.Add(new("$.holdout.fraction", $"Must be within (0, 0.9]; got {h.Fraction}."));
        }
    }

    private static void ValidateGates(ModelSpec spec, List<SpecProblem> p)
    {
        if (spec.Gates is null)
        {
            p.Add(new("$.gates", "Gates must be an object."));
            return;
        }

        if (!Enum.IsDefined(spec.Task))
        {
            return;
        }

        var metrics = MetricNames.For(spec.Task);
        var thresholds = spec.Gates.Thresholds ?? [];
        if (thresholds.Count > ModelSpecLimits.MaxGateThresholds)
        {
            p.Add(new("$.gates.thresholds", $"At most {ModelSpecLimits.MaxGateThresholds} thresholds; got {thresholds.Count}."));
        }
        for (var i = 0; i < thresholds.Count; i++)
        {
            var path = $"$.gates.thresholds[{i}]";
            var t = thresholds[i];
            if (t is null)
            {
                p.Add(new(path, "A threshold must be an object, not null."));
                continue;
            }

            if (!metrics.Contains(t.Metric))
            {
                p.Add(new($"{path}.metric", UnknownMetric(t.Metric, spec.Task, metrics)));
            }

            if (t.Min is null && t.Max is null) p.Add(new(path, "A threshold needs min, max or both."));
            if (t.Min is { } min && !double.IsFinite(min)) p.Add(new($"{path}.min", "Must be a finite number."));
            if (t.Max is { } max && !double.IsFinite(max)) p.Add(new($"{path}.max", "Must be a finite number."));
            if (t.Min > t.Max) p.Add(new($"{path}.min", $"min ({t.Min}) is greater than max ({t.Max})."));
        }

        if (spec.Gates.Comparison is { } c)
        {
            if (!metrics.Contains(c.Metric)) p.Add(new("$.gates.comparison.metric", UnknownMetric(c.Metric, spec.Task, metrics)));
            if (!double.IsFinite(c.MinImprovement)) p.Add(new("$.gates.comparison.minImprovement", "Must be a finite number."));
        }
    }

    private static void ValidateMinimumRows(MinimumRowsSpec? m, List<SpecProblem> p)
    {
        if (m is null)
        {
            p.Add(new("$.minimumRows", "minimumRows must be an object."));
            return;
        }

        foreach (var (name, value) in new[] { ("total", m.Total), ("perClass", m.PerClass), ("holdout", m.Holdout), ("holdoutPerClass", m.HoldoutPerClass) })
        {
            if (value < 1) p.Add(new($"$.minimumRows.{name}", $"Must be a positive integer; got {value}."));
        }

        if (m.Total < 1 || m.PerClass < 1 || m.Holdout < 1 || m.HoldoutPerClass < 1)
        {
            return;
        }

        // The holdout is part of the file, and a class's holdout rows are part of both.
        if (m.Holdout > m.Total) p.Add(new("$.minimumRows.holdout", $"holdout ({m.Holdout}) is greater than total ({m.Total})."));
        if (m.PerClass > m.Total) p.Add(new("$.minimumRows.perClass", $"perClass ({m.PerClass}) is greater than total ({m.Total})."));
        if (m.HoldoutPerClass > m.Holdout) p.Add(new("$.minimumRows.holdoutPerClass", $"holdoutPerClass ({m.HoldoutPerClass}) is greater than holdout ({m.Holdout})."));
        if (m.HoldoutPerClass > m.PerClass) p.Add(new("$.minimumRows.holdoutPerClass", $"holdoutPerClass ({m.HoldoutPerClass}) is greater than perClass ({m.PerClass})."));
    }

    private static string TooLong(string value) =>
        $"At most {ModelSpecLimits.MaxNameLength} characters; got {value.Length} ('{value[..20]}…').";

    internal static string UnknownMetric(string? metric, ModelTask task, IReadOnlyList<string> metrics) =>
        $"'{metric}' is not a {task.ToString().ToLowerInvariant()} metric; expected one of {string.Join(", ", metrics)}.";

    private static string FirstLine(string message)
    {
        var nl = message.IndexOfAny(['\r', '\n']);
        return nl < 0 ? message : message[..nl];
    }
}
