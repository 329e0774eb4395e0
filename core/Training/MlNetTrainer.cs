using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.Core.Datasets;
using Serverless.Core.Features;
using Serverless.Core.Scoring;
using Serverless.Core.Specs;
using Serverless.Core.Training.Onnx;

namespace Serverless.Core.Training;

/// <summary>Splits, fits and exports one model from a spec and a dataset.</summary>
public sealed class MlNetTrainer
{
    // Internal label column: the multiclass key column, kept apart from the raw label so the exported graph never
    // references the label.
    private const string LabelKeyColumn = "__label";
    private const string PredictedLabel = "PredictedLabel";

    public TrainingResult Train(ModelSpec spec, TabularDataset data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        CheckColumns(spec, data);
        ct.ThrowIfCancellationRequested();

        var split = HoldoutSplit.Create(data.RowCount, spec.Holdout);
        var train = data.Select(split.TrainRows);
        var holdout = data.Select(split.HoldoutRows);

        var fitted = Fit(spec, train, ct);

        // Binary labels stated with class names keep them: predict answers "approved", not "true".
        var labels = fitted.Classes ?? BinaryClassNames(spec, data);
        return new TrainingResult
        {
            Onnx = Export(fitted.Ml, spec, fitted.Model, train, labels),
            MlNetModel = fitted.Model,
            Holdout = holdout,
            HoldoutRows = split.HoldoutRows,
            TrainRows = train.RowCount,
            FitTime = fitted.FitTime,
            TrainerParameters = fitted.Parameters,
            InputSchema = InputSchema(spec),
            ClassLabels = labels,
        };
    }

    /// <summary>
    /// Fits the spec's featurization and trainer on <paramref name="train"/> (no split, no export): what
    /// <see cref="Train"/> exports, and what a sweep's trials score on their validation rows.
    /// </summary>
    internal static FittedModel Fit(ModelSpec spec, TabularDataset train, CancellationToken ct)
    {
        var ml = new MLContext(seed: spec.Holdout.Seed);
        var binaryLabel = spec.Task == ModelTask.Binary ? new[] { spec.Label } : null;
        IDataView trainView = new TabularDataView(train, binaryLabel);

        // Multiclass: map class strings to keys in a fixed order, outside the exported chain (it needs the label).
        string[]? classes = null;
        var label = spec.Label;
        if (spec.Task == ModelTask.Multiclass)
        {
            classes = ClassLabels(spec, train);
            var keyData = new TabularDataView(new TabularDataset([DataColumn.Text(LabelKeyColumn, classes)]));
            trainView = ml.Transforms.Conversion.MapValueToKey(LabelKeyColumn, spec.Label, keyData: keyData)
                .Fit(trainView).Transform(trainView);
            label = LabelKeyColumn;
        }

        var (trainer, parameters) = TrainerFactory.Create(ml, spec, label, spec.Holdout.Seed);
        IEstimator<ITransformer> estimator = FeaturePipeline.Build(ml, spec, train)
            .AppendCacheCheckpoint(ml) // iterative solvers make many passes; featurize once
            .Append(trainer);
        if (spec.Task == ModelTask.Multiclass)
        {
            // The graph then outputs the class string, not a key index.
            estimator = estimator.Append(ml.Transforms.Conversion.MapKeyToValue(PredictedLabel));
        }

        // ML.NET's public API cannot interrupt a fit (its cancel hook is internal): check around it.
        ct.ThrowIfCancellationRequested();
        var sw = Stopwatch.StartNew();
        var model = estimator.Fit(trainView);
        sw.Stop();
        ct.ThrowIfCancellationRequested();
        return new FittedModel(ml, model, classes, parameters, sw.Elapsed);
    }

    /// <summary>Binary: the user's [negative, positive] class names when the label was stated with them (spec positiveClass); else null.</summary>
    internal static string[]? BinaryClassNames(ModelSpec spec, TabularDataset data) =>
        spec.Task == ModelTask.Binary && data.Contains(spec.Label) ? data[spec.Label].ClassNames?.ToArray() : null;

    public static IReadOnlyList<ModelInput> InputSchema(ModelSpec spec) =>
        spec.Features.Select(f => new ModelInput(f.Name, f.Type == FeatureType.Categorical ? ModelInputType.String : ModelInputType.Float)).ToList();

    private static byte[] Export(MLContext ml, ModelSpec spec, ITransformer model, TabularDataset train, string[]? classes)
    {
        // A schema without the label: otherwise the label becomes a required graph input.
        var featureOnly = new TabularDataView(new TabularDataset(train.Columns.Where(c => c.Name != spec.Label).ToList()));
        string[] outputs = spec.Task switch
        {
            ModelTask.Binary => [PredictedLabel, "Score", "Probability"],
            ModelTask.Multiclass => [PredictedLabel, "Score"],
            _ => ["Score"],
        };
        using var ms = new MemoryStream();
        ml.Model.ConvertToOnnx(model, featureOnly, ms, outputs);
        var featureCount = model.GetOutputSchema(featureOnly.Schema)[FeaturePipeline.FeaturesColumn].Type is VectorDataViewType v ? v.Size : 1;
        return OnnxModelMetadata.Write(CategoricalSplitExport.Apply(ms.ToArray(), model, featureCount), spec.Task, classes);
    }

    internal static string[] ClassLabels(ModelSpec spec, TabularDataset train)
    {
        if (spec.Classes is { Count: > 0 } declared)
        {
            return declared.Distinct(StringComparer.Ordinal).ToArray();
        }

        var seen = train[spec.Label].TextValues.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).Select(v => v!).ToArray();
        return seen.Length >= 2 ? seen : throw new ArgumentException("Multiclass training needs at least two classes.");
    }

    internal static void CheckColumns(ModelSpec spec, TabularDataset data)
    {
        foreach (var f in spec.Features)
        {
            var expected = f.Type == FeatureType.Categorical ? ColumnKind.Text : ColumnKind.Float;
            if (!data.Contains(f.Name) || data[f.Name].Kind != expected)
            {
                throw new ArgumentException($"Dataset needs a {expected} column '{f.Name}'.", nameof(data));
            }
        }

        var labelKind = spec.Task == ModelTask.Multiclass ? ColumnKind.Text : ColumnKind.Float;
        if (!data.Contains(spec.Label) || data[spec.Label].Kind != labelKind)
        {
            throw new ArgumentException($"Dataset needs a {labelKind} label column '{spec.Label}'.", nameof(data));
        }
    }
}
