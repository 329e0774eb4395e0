using System.Text.Json;
using Serverless.Core.Evaluation;

namespace Serverless.Core.Specs;

/// <summary>
/// Checks a <see cref="ModelSpec"/> before anything is trained on it. Every problem is listed (not just the first)
/// so a user can fix a spec in one round trip. Paths use the JSON (camelCase) names.
/// </summary>
public static class ModelSpecValidator
{
    /// <summary>Reads and validates <c>model.json</c>; malformed JSON and bad enum values become problems, never exceptions.</summary>
    public static ModelSpecParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ModelSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ModelSpec>(json, PlatformJson.Options);
        }
        catch (JsonException e)
        {
            return new ModelSpecParseResult(null, [new SpecProblem(e.Path ?? "$", FirstLine(e.Message))]);
        }

        return spec is null
            ? new ModelSpecParseResult(null, [new SpecProblem("$", "The spec is JSON null.")])
            : new ModelSpecParseResult(spec, Validate(spec));
    }

    public static IReadOnlyList<SpecProblem> Validate(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new List<SpecProblem>();

        // JsonStringEnumConverter also accepts integers, so an out-of-range enum can arrive from JSON.
        if (!Enum.IsDefined(spec.Task))
        {
            p.Add(new("$.task", $"Unknown task {spec.Task}."));
        }

        ValidateFeatures(spec, p);
        ValidateLabel(spec, p);
        ValidateMissingValues(spec, p);
        ValidateTrainer(spec.Trainer, spec.Task, p);
        ValidateHoldout(spec.Holdout, p);
        ValidateGates(spec, p);

        if (!(spec.MaxInvalidRowFraction is >= 0 and <= 1))
        {
            p.Add(new("$.maxInvalidRowFraction", $"Must be within [0, 1]; got {spec.MaxInvalidRowFraction}."));
        }

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

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < f.Categories.Count; k++)
        {
            var c = f.Categories[k];
            if (string.IsNullOrWhiteSpace(c))
            {
                p.Add(new($"{path}.categories[{k}]", "Category must not be empty."));
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

        if (spec.Classes is null)
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

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < spec.Classes.Count; k++)
        {
            var c = spec.Classes[k];
            if (string.IsNullOrWhiteSpace(c))
            {
                p.Add(new($"$.classes[{k}]", "Class must not be empty."));
            }
            else if (!seen.Add(c))
            {
                p.Add(new($"$.classes[{k}]", $"Duplicate class '{c}'."));
            }
        }
    }

    private static void ValidateMissingValues(ModelSpec spec, List<SpecProblem> p)
    {
        if (spec.MissingValues is null)
        {
            p.Add(new("$.missingValues", "Must be a list (it may be empty)."));
            return;
        }

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
            else if (legal.Contains(t))
            {
                p.Add(new($"$.missingValues[{k}]", $"Token '{t}' is also a declared category or class."));
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

        if (t.Compute is not null && t.Compute is not (TrainerSpec.Cpu or TrainerSpec.Gpu))
        {
            p.Add(new("$.trainer.compute", $"Unknown compute '{t.Compute}'; expected '{TrainerSpec.Cpu}' or '{TrainerSpec.Gpu}'."));
        }

        if (t.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            p.Add(new("$.trainer.timeout", $"Must be positive; got {timeout}."));
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

    private static string? CheckHyperparameter(string name, double v)
    {
        if (!double.IsFinite(v)) return "Must be a finite number.";
        return name switch
        {
            "numberOfTrees" or "minimumExampleCountPerLeaf" or "maximumNumberOfIterations" =>
                double.IsInteger(v) && v >= 1 ? null : $"Must be an integer ≥ 1; got {v}.",
            "numberOfLeaves" => double.IsInteger(v) && v >= 2 ? null : $"Must be an integer ≥ 2; got {v}.",
            "learningRate" => v > 0 ? null : $"Must be > 0; got {v}.",
            "hiddenLayers" => IntegerIn(v, 1, 16),
            "hiddenUnits" => IntegerIn(v, 1, 4096),
            "batchSize" => IntegerIn(v, 1, 65536),
            "epochs" => IntegerIn(v, 1, 10000),
            "patience" => IntegerIn(v, 1, 1000),

            // More data-parallel workers than that only shards batches into slivers.
            "workers" => IntegerIn(v, 1, 64),
            "l1Regularization" or "l2Regularization" => v >= 0 ? null : $"Must be ≥ 0; got {v}.",
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

    private static string UnknownMetric(string? metric, ModelTask task, IReadOnlyList<string> metrics) =>
        $"'{metric}' is not a {task.ToString().ToLowerInvariant()} metric; expected one of {string.Join(", ", metrics)}.";

    private static string FirstLine(string message)
    {
        var nl = message.IndexOfAny(['\r', '\n']);
        return nl < 0 ? message : message[..nl];
    }
}
