using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Serverless.Core.Features;
using Serverless.Core.Specs;

namespace Serverless.Core.Training;

/// <summary>The ML.NET trainer for a (trainer family, solver, task) and the effective hyperparameters it uses.</summary>
internal static class TrainerFactory
{
    private sealed record TreeParams(int Trees, int Leaves, double LearningRate, int MinLeaf);

    private sealed record LinearParams(float? L1, float? L2, int? MaxIterations);

    public static (IEstimator<ITransformer> Trainer, IReadOnlyDictionary<string, string> Parameters) Create(
        MLContext ml, ModelSpec spec, string labelColumn, int seed)
    {
        var t = spec.Trainer;
        CheckHyperparameterNames(t);
        var features = FeaturePipeline.FeaturesColumn;
        return (t.Type, spec.Task) switch
        {
            (TrainerKind.LightGbm, var task) => LightGbm(ml, task, Trees(t, leaves: 31, learningRate: 0.1, minLeaf: 20), labelColumn, features, seed),
            (TrainerKind.FastTree, var task) => FastTree(ml, task, Trees(t, leaves: 20, learningRate: 0.2, minLeaf: 10), labelColumn, features, seed),
            (TrainerKind.Linear, var task) => Linear(ml, task, Solver(t), Linear(t), labelColumn, features),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), t.Type, "Unknown trainer."),
        };
    }

    private static (IEstimator<ITransformer>, IReadOnlyDictionary<string, string>) LightGbm(
        MLContext ml, ModelTask task, TreeParams p, string label, string features, int seed)
    {
        // One thread + fixed seed: the same data and spec give the same model.
        // Native categorical splits as ML.NET decides (on above 50,000 training rows): its ONNX converter cannot write
        // them, CategoricalSplitExport does. Turning them off instead cost 0.003 holdout AUC on a 250-level category
        // (bench categorical-split).
        IEstimator<ITransformer> trainer = task switch
        {
            ModelTask.Binary => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = p.Trees, NumberOfLeaves = p.Leaves,
                LearningRate = p.LearningRate, MinimumExampleCountPerLeaf = p.MinLeaf, Seed = seed, NumberOfThreads = 1, Deterministic = true,
            }),
            ModelTask.Multiclass => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = p.Trees, NumberOfLeaves = p.Leaves,
                LearningRate = p.LearningRate, MinimumExampleCountPerLeaf = p.MinLeaf, Seed = seed, NumberOfThreads = 1, Deterministic = true,
            }),
            _ => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = p.Trees, NumberOfLeaves = p.Leaves,
                LearningRate = p.LearningRate, MinimumExampleCountPerLeaf = p.MinLeaf, Seed = seed, NumberOfThreads = 1, Deterministic = true,
            }),
        };
        return (trainer, Report($"LightGbm{task}", p));
    }

    private static (IEstimator<ITransformer>, IReadOnlyDictionary<string, string>) FastTree(
        MLContext ml, ModelTask task, TreeParams p, string label, string features, int seed)
    {
        FastTreeBinaryTrainer Binary() => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = p.Trees, NumberOfLeaves = p.Leaves,
            LearningRate = p.LearningRate, MinimumExampleCountPerLeaf = p.MinLeaf, Seed = seed, NumberOfThreads = 1,
        });

        IEstimator<ITransformer> trainer = task switch
        {
            ModelTask.Binary => Binary(),

            // FastTree has no multiclass trainer: one calibrated binary model per class, probabilities normalized.
            ModelTask.Multiclass => ml.MulticlassClassification.Trainers.OneVersusAll(Binary(), label),
            _ => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = p.Trees, NumberOfLeaves = p.Leaves,
                LearningRate = p.LearningRate, MinimumExampleCountPerLeaf = p.MinLeaf, Seed = seed, NumberOfThreads = 1,
            }),
        };
        return (trainer, Report(task == ModelTask.Multiclass ? "FastTreeOneVersusAll" : $"FastTree{task}", p));
    }

    private static (IEstimator<ITransformer>, IReadOnlyDictionary<string, string>) Linear(
        MLContext ml, ModelTask task, string solver, LinearParams p, string label, string features)
    {
        // Single-threaded solvers are deterministic; multi-threaded SDCA/L-BFGS are not.
        // Null SDCA values mean "derived from the data"; L-BFGS has fixed defaults, reported as used.
        IEstimator<ITransformer> trainer;
        string name;
        LinearParams used;
        switch (task, solver)
        {
            case (ModelTask.Binary, TrainerSpec.Sdca):
                var sb = new SdcaLogisticRegressionBinaryTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1,
                    L1Regularization = p.L1, L2Regularization = p.L2, MaximumNumberOfIterations = p.MaxIterations,
                };
                (trainer, name, used) = (ml.BinaryClassification.Trainers.SdcaLogisticRegression(sb), "SdcaLogisticRegression",
                    new(sb.L1Regularization, sb.L2Regularization, sb.MaximumNumberOfIterations));
                break;
            case (ModelTask.Multiclass, TrainerSpec.Sdca):
                var sm = new SdcaMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1,
                    L1Regularization = p.L1, L2Regularization = p.L2, MaximumNumberOfIterations = p.MaxIterations,
                };
                (trainer, name, used) = (ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(sm), "SdcaMaximumEntropy",
                    new(sm.L1Regularization, sm.L2Regularization, sm.MaximumNumberOfIterations));
                break;
            case (ModelTask.Regression, TrainerSpec.Sdca):
                var sr = new SdcaRegressionTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1,
                    L1Regularization = p.L1, L2Regularization = p.L2, MaximumNumberOfIterations = p.MaxIterations,
                };
                (trainer, name, used) = (ml.Regression.Trainers.Sdca(sr), "SdcaRegression",
                    new(sr.L1Regularization, sr.L2Regularization, sr.MaximumNumberOfIterations));
                break;
            case (ModelTask.Binary, TrainerSpec.Lbfgs):
                var lb = new LbfgsLogisticRegressionBinaryTrainer.Options { LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1 };
                if (p.L1 is { } l1b) lb.L1Regularization = l1b;
                if (p.L2 is { } l2b) lb.L2Regularization = l2b;
                if (p.MaxIterations is { } itb) lb.MaximumNumberOfIterations = itb;
                (trainer, name, used) = (ml.BinaryClassification.Trainers.LbfgsLogisticRegression(lb), "LbfgsLogisticRegression",
                    new(lb.L1Regularization, lb.L2Regularization, lb.MaximumNumberOfIterations));
                break;
            case (ModelTask.Multiclass, TrainerSpec.Lbfgs):
                var lm = new LbfgsMaximumEntropyMulticlassTrainer.Options { LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1 };
                if (p.L1 is { } l1m) lm.L1Regularization = l1m;
                if (p.L2 is { } l2m) lm.L2Regularization = l2m;
                if (p.MaxIterations is { } itm) lm.MaximumNumberOfIterations = itm;
                (trainer, name, used) = (ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(lm), "LbfgsMaximumEntropy",
                    new(lm.L1Regularization, lm.L2Regularization, lm.MaximumNumberOfIterations));
                break;
            default:
                // ML.NET's only L-BFGS regressor is Poisson (log link, non-negative labels): not a general regressor.
                throw new NotSupportedException("The lbfgs solver has no least-squares regression in ML.NET; use the sdca solver for regression.");
        }

        var report = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trainer"] = name,
            ["solver"] = solver,
            ["normalization"] = "minMax",
            ["l1Regularization"] = Format(used.L1),
            ["l2Regularization"] = Format(used.L2),
            ["maximumNumberOfIterations"] = Format(used.MaxIterations),
        };
        return (trainer, report);
    }

    private static TreeParams Trees(TrainerSpec t, int leaves, double learningRate, int minLeaf) => new(
        Int(t, "numberOfTrees") ?? TrainerSpec.DefaultNumberOfTrees,
        Int(t, "numberOfLeaves") ?? leaves,
        t.Get("learningRate") ?? learningRate,
        Int(t, "minimumExampleCountPerLeaf") ?? minLeaf);

    private static LinearParams Linear(TrainerSpec t) => new(
        (float?)t.Get("l1Regularization"),
        (float?)t.Get("l2Regularization"),
        Int(t, "maximumNumberOfIterations"));

    private static string Solver(TrainerSpec t) => (t.Solver ?? TrainerSpec.Sdca).ToLowerInvariant() switch
    {
        TrainerSpec.Sdca => TrainerSpec.Sdca,
        TrainerSpec.Lbfgs => TrainerSpec.Lbfgs,
        var s => throw new ArgumentException($"Unknown linear solver '{s}'; expected '{TrainerSpec.Sdca}' or '{TrainerSpec.Lbfgs}'."),
    };

    private static void CheckHyperparameterNames(TrainerSpec t)
    {
        var allowed = t.Type == TrainerKind.Linear ? TrainerSpec.LinearHyperparameters : TrainerSpec.TreeHyperparameters;
        var unknown = (t.Hyperparameters?.Keys ?? []).Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Hyperparameters not valid for {t.Type}: {string.Join(", ", unknown)}.");
        }
    }

    private static int? Int(TrainerSpec t, string name) => t.Get(name) is { } v ? checked((int)Math.Round(v)) : null;

    private static IReadOnlyDictionary<string, string> Report(string trainer, TreeParams p) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trainer"] = trainer,
            ["numberOfTrees"] = Format(p.Trees),
            ["numberOfLeaves"] = Format(p.Leaves),
            ["learningRate"] = Format(p.LearningRate),
            ["minimumExampleCountPerLeaf"] = Format(p.MinLeaf),
        };

    // Null = the solver picks the value from the data ("auto").
    private static string Format<T>(T? value) where T : struct, IFormattable =>
        value?.ToString(null, CultureInfo.InvariantCulture) ?? "auto";

    private static string Format<T>(T value) where T : struct, IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
