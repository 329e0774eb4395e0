using System.Collections;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Serverless.Core.Onnx;

namespace Serverless.Core.Training.Onnx;

/// <summary>
/// Exports LightGBM's native categorical splits, which ML.NET's ONNX converter writes as feature id -1 (ONNX Runtime
/// refuses the graph). ML.NET sends a row to a categorical node's "greater" child when any one-hot slot of the
/// node's category set is on, else to its "less or equal" child. So each such node gets a feature of its own, the sum
/// of its set's slots (one-hot slots are 0/1, never missing): Gather the slots the splits use, MatMul by a 0/1
/// slot × split matrix, Concat after the original features; the node then tests that feature ≤ 0 like any other.
/// </summary>
internal static class CategoricalSplitExport
{
    // onnx.proto field numbers.
    private const int GraphField = 7;                                     // ModelProto.graph
    private const int NodeField = 1, InitializerField = 5;                // GraphProto
    private const int InputField = 1, OutputField = 2, NameField = 3, OpTypeField = 4, AttributeField = 5; // NodeProto
    private const int AttrNameField = 1, AttrFloatsField = 7, AttrIntsField = 8; // AttributeProto
    private const int DimsField = 1, DataTypeField = 2, TensorNameField = 8, RawDataField = 9; // TensorProto

    /// <param name="onnx">The graph ML.NET exported.</param>
    /// <param name="model">The fitted chain it was exported from (its trees carry the category sets).</param>
    /// <param name="featureCount">Length of the feature vector the tree ensembles read.</param>
    public static byte[] Apply(byte[] onnx, ITransformer model, int featureCount)
    {
        var ensembles = Ensembles(model);
        if (!ensembles.Any(e => e.Any(t => t.CategoricalSplitFlags.Any(f => f))))
        {
            return onnx;
        }

        var root = ProtoMessage.Parse(onnx);
        var graph = root.Messages(GraphField).Single();
        var treeNodes = graph.Fields.Select((f, i) => (Field: f, Index: i))
            .Where(x => x.Field.Number == NodeField && ProtoMessage.Parse(x.Field.Bytes).String(OpTypeField) is "TreeEnsembleRegressor" or "TreeEnsembleClassifier")
            .ToList();
        if (treeNodes.Count != ensembles.Count)
        {
            throw new InvalidOperationException($"The exported graph has {treeNodes.Count} tree ensembles, the model {ensembles.Count}.");
        }

        // Back to front, so inserting nodes before one does not move the ones still to do.
        for (var k = ensembles.Count - 1; k >= 0; k--)
        {
            var inserted = Rewrite(ProtoMessage.Parse(treeNodes[k].Field.Bytes), ensembles[k], featureCount, $"__catsplit{k}", out var initializers);
            if (inserted.Count == 0)
            {
                continue;
            }

            graph.Fields[treeNodes[k].Index] = inserted[^1];
            graph.Fields.InsertRange(treeNodes[k].Index, inserted.Take(inserted.Count - 1));
            graph.Fields.AddRange(initializers);
        }

        root.Replace(GraphField, [ProtoMessage.Message(GraphField, graph.ToArray())]);
        return root.ToArray();
    }

    /// <returns>The new nodes followed by the rewritten tree node; empty when the ensemble has no categorical split.</returns>
    private static List<ProtoMessage.Field> Rewrite(ProtoMessage node, IReadOnlyList<RegressionTree> trees, int featureCount, string prefix, out List<ProtoMessage.Field> initializers)
    {
        initializers = [];
        var attributes = node.Fields.Where(f => f.Number == AttributeField).Select(f => ProtoMessage.Parse(f.Bytes)).ToList();
        ProtoMessage Attribute(string name) => attributes.Single(a => a.String(AttrNameField) == name);
        var treeIds = Attribute("nodes_treeids").Int64s(AttrIntsField);
        var nodeIds = Attribute("nodes_nodeids").Int64s(AttrIntsField);
        var featureIds = Attribute("nodes_featureids").Int64s(AttrIntsField);
        var values = Attribute("nodes_values").Floats(AttrFloatsField);

        var sets = new List<IReadOnlyList<int>>();
        for (var i = 0; i < featureIds.Count; i++)
        {
            if (featureIds[i] >= 0)
            {
                continue;
            }

            var tree = trees[checked((int)treeIds[i])];
            var at = checked((int)nodeIds[i]);
            if (at >= tree.CategoricalSplitFlags.Count || !tree.CategoricalSplitFlags[at])
            {
                throw new InvalidOperationException($"Tree {treeIds[i]} node {at} has feature id -1 in the graph but is not a categorical split in the model.");
            }

            featureIds[i] = featureCount + sets.Count;
            values[i] = 0f; // sum of the set's slots ≤ 0: none is on, the "less or equal" child, as in ML.NET
            sets.Add(tree.GetCategoricalSplitFeaturesAt(at));
        }

        if (sets.Count == 0)
        {
            return [];
        }

        var slots = sets.SelectMany(s => s).Distinct().Order().ToArray();
        var row = slots.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        var matrix = new float[slots.Length * sets.Count];
        for (var j = 0; j < sets.Count; j++)
        {
            foreach (var s in sets[j])
            {
                matrix[(row[s] * sets.Count) + j] = 1f;
            }
        }

        initializers.Add(Tensor(prefix + "_slots", 7, MemoryMarshal.AsBytes(slots.Select(s => (long)s).ToArray().AsSpan()).ToArray(), slots.Length));
        initializers.Add(Tensor(prefix + "_sets", 1, MemoryMarshal.AsBytes(matrix.AsSpan()).ToArray(), slots.Length, sets.Count));

        var input = node.Strings(InputField).First();
        var gathered = Node("Gather", [input, prefix + "_slots"], prefix + "_gathered", OnnxAttribute.Int("axis", 1));
        var summed = Node("MatMul", [prefix + "_gathered", prefix + "_sets"], prefix + "_sums");
        var features = Node("Concat", [input, prefix + "_sums"], prefix + "_features", OnnxAttribute.Int("axis", 1));

        // The tree node reads the extended vector; its other attributes stay as exported.
        var inputs = node.Strings(InputField).ToList();
        inputs[0] = prefix + "_features";
        node.Replace(InputField, inputs.Select(i => ProtoMessage.Text(InputField, i)));
        node.Replace(AttributeField, attributes.Select(a =>
        {
            var name = a.String(AttrNameField);
            if (name == "nodes_featureids")
            {
                a.Replace(AttrIntsField, featureIds.Select(v => ProtoMessage.Int(AttrIntsField, v)));
            }
            else if (name == "nodes_values")
            {
                a.Replace(AttrFloatsField, values.Select(v => ProtoMessage.Float(AttrFloatsField, v)));
            }

            return ProtoMessage.Message(AttributeField, a.ToArray());
        }).ToList());
        return [gathered, summed, features, ProtoMessage.Message(NodeField, node.ToArray())];
    }

    private static ProtoMessage.Field Node(string opType, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        var w = new ProtoWriter();
        foreach (var i in inputs) w.String(InputField, i);
        w.String(OutputField, output).String(NameField, output).String(OpTypeField, opType);
        foreach (var a in attributes) w.Message(AttributeField, a.WriteTo);
        return ProtoMessage.Message(NodeField, w.ToArray());
    }

    private static ProtoMessage.Field Tensor(string name, int dataType, byte[] raw, params long[] dims)
    {
        var w = new ProtoWriter();
        foreach (var d in dims) w.Int(DimsField, d);
        w.Int(DataTypeField, dataType).String(TensorNameField, name).Bytes(RawDataField, raw);
        return ProtoMessage.Message(InitializerField, w.ToArray());
    }

    /// <summary>The LightGBM tree ensembles of the chain's predictor, in the order the graph has them (class order).</summary>
    private static List<IReadOnlyList<RegressionTree>> Ensembles(ITransformer model)
    {
        var predictor = Flatten(model).OfType<IPredictionTransformer<object>>().LastOrDefault()?.Model;
        if (predictor is OneVersusAllModelParameters ova)
        {
            // ML.NET keeps the per-class models internal; LightGBM multiclass is one ensemble per class.
            var impl = typeof(OneVersusAllModelParameters).GetField("_impl", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(ova);
            var predictors = impl?.GetType().GetProperty("Predictors", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(impl) as IEnumerable
                ?? throw new InvalidOperationException("Cannot read the per-class models of a one-versus-all model.");
            var perClass = predictors.Cast<object>().Select(Trees).ToList();

            // Not LightGBM (FastTree one-versus-all never splits on categories natively): nothing to rewrite.
            return perClass.All(t => t is not null) ? perClass.Select(t => t!).ToList() : [];
        }

        return Trees(predictor) is { } trees ? [trees] : [];
    }

    private static IReadOnlyList<RegressionTree>? Trees(object? model) => model switch
    {
        CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> c => c.SubModel.TrainedTreeEnsemble.Trees,
        LightGbmBinaryModelParameters b => b.TrainedTreeEnsemble.Trees,
        LightGbmRegressionModelParameters r => r.TrainedTreeEnsemble.Trees,
        _ => null,
    };

    private static IEnumerable<ITransformer> Flatten(ITransformer t) =>
        t is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [t];
}
