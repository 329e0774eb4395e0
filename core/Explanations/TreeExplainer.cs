using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Serverless.Core.Datasets;
using Serverless.Core.Registry;
using Serverless.Core.Scoring;

namespace Serverless.Core.Explanations;

/// <summary>
/// Exact TreeSHAP for an exported tree model. One ONNX Runtime run of the model (with the ensembles' feature vectors
/// and margins exposed as extra outputs) yields exactly what the trees read, preprocessing included; the trees and
/// the map back to input columns come from the graph (<see cref="TreeEnsembleGraph"/>), the covers from
/// <see cref="ExplainerArtifact"/>. Safe for concurrent callers.
/// </summary>
public sealed class TreeExplainer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly TreeEnsembleGraph _graph;
    private readonly IReadOnlyList<ExplainableTree>[] _trees;
    private readonly double[] _expected;
    private readonly string[] _tensorNames;
    private readonly IReadOnlyList<string>? _classLabels;

    private TreeExplainer(byte[] onnx, TreeEnsembleGraph graph, IReadOnlyList<IReadOnlyList<double[]>>? covers, IReadOnlyList<string>? classLabels)
    {
        _graph = graph;
        _classLabels = classLabels;
        _trees = new IReadOnlyList<ExplainableTree>[graph.Outputs.Count];
        _expected = new double[graph.Outputs.Count];
        UseCovers(covers);
        _tensorNames = [.. graph.Outputs.SelectMany(o => new[] { o.Input, o.Output }).Distinct(StringComparer.Ordinal)];
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(graph.ExposeTensors(onnx), options);
    }

    /// <summary>Sets the trees' covers (null: the graph's, all zero) and the expected values that follow from them.</summary>
    private void UseCovers(IReadOnlyList<IReadOnlyList<double[]>>? covers)
    {
        for (var k = 0; k < _graph.Outputs.Count; k++)
        {
            var output = _graph.Outputs[k];
            if (covers is not null && (covers.Count != _graph.Outputs.Count || covers[k].Count != output.Trees.Count))
            {
                throw new InvalidDataException("The explainer's covers do not match the model's trees.");
            }

            _trees[k] = covers is null ? output.Trees : output.Trees.Select((t, i) => t.WithCover(covers[k][i])).ToList();
            _expected[k] = output.BaseValue + _trees[k].Sum(t => t.ExpectedValue());
        }
    }

    /// <summary>Holdout rows (the first ones, in dataset order) global importance is averaged over at training time: TreeSHAP costs ~O(leaves · depth²) per tree and row.</summary>
    public const int ImportanceRows = 300;

    /// <summary>
    /// Training rows covers are counted from: all of them up to this many, else an evenly spaced sample of this many.
    /// Covers are only the weights of TreeSHAP's conditional expectations: attributions stay exact and additive with
    /// respect to the stored covers, and 20k rows put about as many rows in each leaf as LightGBM's minimum leaf size
    /// does on 40k. The cap is what keeps the explainer off the run's critical path: counting covers (one ONNX Runtime
    /// pass with the trees' feature vectors exposed, every row through every tree) took 2.9 s on 80k rows × 23 columns
    /// against a 3.9 s fit (2 cores), and would take minutes on the train step of a 10M-row run.
    /// </summary>
    public const int MaxCoverRows = 20_000;

    /// <summary>The model's input columns, in graph order.</summary>
    public IReadOnlyList<string> Columns => _graph.Columns;

    /// <summary>
    /// How a margin becomes the prediction: <see cref="Links.Logit"/> (binary: the probability is
    /// σ(slope·margin + offset), <see cref="Calibration"/>), <see cref="Links.Identity"/> (regression: the score is
    /// the margin) or <see cref="Links.PerClass"/> (multiclass: one margin per class, which the graph normalizes into
    /// class probabilities).
    /// </summary>
    public string Link => _graph.Outputs.Count > 1 ? Links.PerClass : Calibration is not null ? Links.Logit : Links.Identity;

    /// <summary>Binary: the exported calibrator's slope and offset; null otherwise.</summary>
    public PlattCalibration? Calibration => _graph.Outputs.Count == 1 && _graph.Slope is { } a && _graph.Offset is { } b ? new(a, b) : null;

    /// <summary>Per output, the margin over the training rows (the attributions' baseline).</summary>
    public IReadOnlyList<double> ExpectedValues => _expected;

    /// <summary>Loads a registered version's explainer, checking it was built for these model bytes.</summary>
    public static TreeExplainer Load(byte[] onnx, ExplainerArtifact artifact, IReadOnlyList<string>? classLabels)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var sha = ModelIntegrity.Sha256(onnx);
        if (!string.Equals(sha, artifact.ModelSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"explainer.json was built for model SHA-256 {artifact.ModelSha256}, not {sha}.");
        }

        return new TreeExplainer(onnx, TreeEnsembleGraph.Read(onnx), artifact.Covers, classLabels);
    }

    /// <summary>
    /// Builds the explainer at training time: covers from routing <paramref name="training"/> through the exported
    /// trees, and global importance (mean |SHAP| per column) over <paramref name="holdout"/> when given.
    /// </summary>
    public static ExplainerArtifact Fit(byte[] onnx, TabularDataset training, TabularDataset? holdout, IReadOnlyList<string>? classLabels = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (training.RowCount > MaxCoverRows)
        {
            var step = (double)training.RowCount / MaxCoverRows;
            training = training.Select([.. Enumerable.Range(0, MaxCoverRows).Select(i => (int)(i * step))]);
        }

        // One session for both passes: counting covers, then (with them) explaining the holdout sample.
        var graph = TreeEnsembleGraph.Read(onnx);
        using var explainer = new TreeExplainer(onnx, graph, null, classLabels);
        var vectors = explainer.Run(training);

        // Trees are independent: counted in parallel (the result does not depend on the order).
        List<IReadOnlyList<double[]>> covers = [.. graph.Outputs.Select(o =>
        {
            var (features, width) = vectors[o.Input];
            var counted = new double[o.Trees.Count][];
            Parallel.For(0, o.Trees.Count, i => counted[i] = TreeCovers.Count(o.Trees[i], features, width));
            return (IReadOnlyList<double[]>)counted;
        })];
        explainer.UseCovers(covers);

        var artifact = new ExplainerArtifact { ModelSha256 = ModelIntegrity.Sha256(onnx), CoverRows = training.RowCount, Covers = covers };
        if (holdout is null || holdout.RowCount == 0)
        {
            return artifact;
        }

        var importance = explainer.Columns.ToDictionary(c => c, _ => 0.0, StringComparer.Ordinal);
        foreach (var row in explainer.Explain(holdout))
        {
            foreach (var output in row.Outputs)
            {
                foreach (var (column, phi) in output.Attributions) importance[column] += Math.Abs(phi) / holdout.RowCount;
            }
        }

        return artifact with { GlobalImportance = importance, ImportanceRows = holdout.RowCount };
    }

    /// <summary>Explains every row (a column per model input; extra columns are ignored).</summary>
    public IReadOnlyList<Explanation> Explain(TabularDataset rows) => Explain(rows, out _);

    /// <param name="rows">A column per model input.</param>
    /// <param name="runtimeMargins">ONNX Runtime's own margins [row][output] (single precision), to check the tree sums against.</param>
    public IReadOnlyList<Explanation> Explain(TabularDataset rows, out float[][] runtimeMargins)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.RowCount;
        if (n == 0)
        {
            runtimeMargins = [];
            return [];
        }

        var vectors = Run(rows);
        var result = new Explanation[n];
        var columns = _graph.Columns.Count;
        var margins = runtimeMargins = new float[n][];
        for (var r = 0; r < n; r++)
        {
            var outputs = new OutputExplanation[_trees.Length];
            margins[r] = new float[_trees.Length];
            for (var k = 0; k < _trees.Length; k++)
            {
                var o = _graph.Outputs[k];
                var (features, width) = vectors[o.Input];
                var x = features.AsSpan(r * width, width);
                var phi = new double[width];
                var margin = o.BaseValue;
                foreach (var tree in _trees[k])
                {
                    TreeShap.Accumulate(tree, x, phi);
                    margin += tree.Value[tree.Leaf(x)];
                }

                var perColumn = new double[columns];
                for (var f = 0; f < width; f++) perColumn[o.FeatureColumns[f]] += phi[f];
                var (scores, scoreWidth) = vectors[o.Output];
                margins[r][k] = scores[(r * scoreWidth) + o.Target];
                var attributions = new Dictionary<string, double>(columns, StringComparer.Ordinal);
                for (var c = 0; c < columns; c++) attributions[_graph.Columns[c]] = perColumn[c];
                var label = _trees.Length > 1 && _classLabels is { } classes && k < classes.Count ? classes[k] : null;
                outputs[k] = new OutputExplanation(label, margin, _expected[k], attributions);
            }

            result[r] = new Explanation(outputs);
        }

        return result;
    }

    /// <summary>One run of the model: every exposed tensor as a row-major array with its row width.</summary>
    private Dictionary<string, (float[] Values, int Width)> Run(TabularDataset rows)
    {
        var n = rows.RowCount;
        var inputs = _session.InputMetadata;
        var names = inputs.Keys.ToArray();
        var values = new OrtValue[names.Length];
        try
        {
            long[] shape = [n, 1];
            for (var c = 0; c < names.Length; c++)
            {
                var column = rows.Contains(names[c]) ? rows[names[c]] : throw new ArgumentException($"Rows lack the model input '{names[c]}'.", nameof(rows));
                values[c] = InputTensor.For(column, inputs[names[c]].ElementDataType == TensorElementType.String, shape, n);
            }

            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, names, values, _tensorNames);
            var tensors = new Dictionary<string, (float[], int)>(StringComparer.Ordinal);
            for (var i = 0; i < _tensorNames.Length; i++)
            {
                var data = results[i].GetTensorDataAsSpan<float>().ToArray();
                tensors[_tensorNames[i]] = (data, n == 0 ? 0 : data.Length / n);
            }

            return tensors;
        }
        finally
        {
            foreach (var v in values) v?.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();
}
