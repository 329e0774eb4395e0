using System.Runtime.InteropServices;
using Serverless.Core.Onnx;

namespace Serverless.Core.Explanations;

/// <summary>
/// The tree ensembles inside an exported model, read from its ONNX <c>ai.onnx.ml</c> TreeEnsembleRegressor /
/// TreeEnsembleClassifier nodes, with the map from each tree feature back to the graph input (original column) it
/// came from: FeatureVectorizer slot ranges (a one-hot group is its input's range) and the set features that
/// <see cref="CategoricalSplitExport"/> appends (each the sum of one category set's slots).
/// </summary>
public sealed class TreeEnsembleGraph
{
    // onnx.proto field numbers.
    private const int GraphField = 7;
    private const int NodeField = 1, InitializerField = 5, GraphInputField = 11, GraphOutputField = 12;
    private const int InputField = 1, OutputField = 2, OpTypeField = 4, AttributeField = 5;
    private const int AttrNameField = 1, AttrFloatsField = 7, AttrIntsField = 8, AttrStringsField = 9;
    private const int DimsField = 1, FloatDataField = 4, Int64DataField = 7, TensorNameField = 8, RawDataField = 9;
    private const int ValueInfoNameField = 1, ValueInfoTypeField = 2, TypeTensorField = 1, TensorElemTypeField = 1;
    private const int FloatElementType = 1;

    private TreeEnsembleGraph(IReadOnlyList<string> columns, IReadOnlyList<TreeEnsembleOutput> outputs, float? slope, float? offset)
    {
        Columns = columns;
        Outputs = outputs;
        Slope = slope;
        Offset = offset;
    }

    /// <summary>The graph's inputs, in order: the columns attributions are reported for.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>One raw margin per ensemble target: one for regression and binary, one per class for multiclass.</summary>
    public IReadOnlyList<TreeEnsembleOutput> Outputs { get; }

    /// <summary>Binary: the probability is σ(<see cref="Slope"/>·margin + <see cref="Offset"/>) (the exported Platt calibrator); null when the graph has none.</summary>
    public float? Slope { get; }

    /// <inheritdoc cref="Slope"/>
    public float? Offset { get; }

    public static TreeEnsembleGraph Read(byte[] onnx)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        var graph = ProtoMessage.Parse(onnx).Messages(GraphField).Single();
        var nodes = graph.Messages(NodeField).ToList();
        var initializers = graph.Messages(InitializerField).ToDictionary(t => t.String(TensorNameField) ?? string.Empty, StringComparer.Ordinal);
        var columns = graph.Messages(GraphInputField).Select(v => v.String(ValueInfoNameField)!).Where(n => !initializers.ContainsKey(n)).ToList();
        var producers = new Dictionary<string, ProtoMessage>(StringComparer.Ordinal);
        foreach (var n in nodes)
        {
            foreach (var o in n.Strings(OutputField)) producers[o] = n;
        }

        var outputs = new List<TreeEnsembleOutput>();
        foreach (var node in nodes.Where(n => n.String(OpTypeField) is "TreeEnsembleRegressor" or "TreeEnsembleClassifier"))
        {
            var input = node.Strings(InputField).First();
            var featureColumns = FeatureColumns(input, producers, initializers, columns);
            var output = node.Strings(OutputField).Last();
            outputs.AddRange(ReadEnsemble(node, input, output, featureColumns));
        }

        if (outputs.Count == 0)
        {
            throw new NotSupportedException("The model has no tree ensemble to explain.");
        }

        return new TreeEnsembleGraph(columns, outputs, Scalar(initializers, "Slope"), Scalar(initializers, "Offset"));
    }

    /// <summary>The model with every ensemble's input and output tensor added as graph outputs, so one run yields the feature vectors and margins.</summary>
    public byte[] ExposeTensors(byte[] onnx)
    {
        var root = ProtoMessage.Parse(onnx);
        var graph = root.Messages(GraphField).Single();
        var existing = graph.Messages(GraphOutputField).Select(o => o.String(ValueInfoNameField)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in Outputs.SelectMany(o => new[] { o.Input, o.Output }).Distinct(StringComparer.Ordinal).Where(n => !existing.Contains(n)))
        {
            var w = new ProtoWriter();
            w.String(ValueInfoNameField, name).Message(ValueInfoTypeField, t => t.Message(TypeTensorField, tt => tt.Int(TensorElemTypeField, FloatElementType)));
            graph.Fields.Add(ProtoMessage.Message(GraphOutputField, w.ToArray()));
        }

        root.Replace(GraphField, [ProtoMessage.Message(GraphField, graph.ToArray())]);
        return root.ToArray();
    }

    private static IEnumerable<TreeEnsembleOutput> ReadEnsemble(ProtoMessage node, string input, string output, int[] featureColumns)
    {
        var attributes = node.Messages(AttributeField).ToDictionary(a => a.String(AttrNameField) ?? string.Empty, StringComparer.Ordinal);
        List<long> Ints(string name) => attributes.TryGetValue(name, out var a) ? a.Int64s(AttrIntsField) : [];
        List<float> Floats(string name) => attributes.TryGetValue(name, out var a) ? a.Floats(AttrFloatsField) : [];
        if (attributes.TryGetValue("aggregate_function", out var agg) && agg.String(4) is { } fn && fn != "SUM")
        {
            throw new NotSupportedException($"Tree ensemble aggregate '{fn}' is not a sum: TreeSHAP needs an additive model.");
        }

        if (attributes.TryGetValue("post_transform", out var post) && post.String(4) is { } pt && pt != "NONE")
        {
            throw new NotSupportedException($"Tree ensemble post_transform '{pt}' inside the node is not supported.");
        }

        var treeIds = Ints("nodes_treeids");
        var nodeIds = Ints("nodes_nodeids");
        var featureIds = Ints("nodes_featureids");
        var thresholds = Floats("nodes_values");
        var modes = attributes["nodes_modes"].Strings(AttrStringsField).ToList();
        var trueIds = Ints("nodes_truenodeids");
        var falseIds = Ints("nodes_falsenodeids");
        var missing = Ints("nodes_missing_value_tracks_true");
        var classifier = node.String(OpTypeField) == "TreeEnsembleClassifier";
        var prefix = classifier ? "class_" : "target_";
        var leafTrees = Ints(prefix + "treeids");
        var leafNodes = Ints(prefix + "nodeids");
        var leafTargets = Ints(prefix + "ids");
        var leafWeights = Floats(prefix + "weights");
        var baseValues = Floats("base_values");
        var targets = leafTargets.Count == 0 ? 1 : checked((int)leafTargets.Max() + 1);

        // Node index within its tree, in the order the graph lists the tree's nodes.
        var trees = treeIds.Distinct().Order().ToList();
        var index = new Dictionary<(long Tree, long Node), int>();
        var counts = trees.ToDictionary(t => t, _ => 0);
        for (var i = 0; i < treeIds.Count; i++) index[(treeIds[i], nodeIds[i])] = counts[treeIds[i]]++;

        var perTarget = new List<ExplainableTree>[targets];
        for (var t = 0; t < targets; t++) perTarget[t] = [];
        var values = trees.ToDictionary(t => t, t => new double[targets, counts[t]]);
        for (var i = 0; i < leafTrees.Count; i++)
        {
            values[leafTrees[i]][leafTargets[i], index[(leafTrees[i], leafNodes[i])]] += leafWeights[i];
        }

        foreach (var tree in trees)
        {
            var n = counts[tree];
            var feature = new int[n];
            var threshold = new float[n];
            var mode = new BranchMode[n];
            var left = new int[n];
            var right = new int[n];
            var tracks = new bool[n];
            for (var i = 0; i < treeIds.Count; i++)
            {
                if (treeIds[i] != tree) continue;
                var k = index[(tree, nodeIds[i])];
                if (modes[i] == "LEAF")
                {
                    (feature[k], left[k], right[k]) = (-1, -1, -1);
                    continue;
                }

                feature[k] = checked((int)featureIds[i]);
                threshold[k] = thresholds[i];
                mode[k] = modes[i] switch
                {
                    "BRANCH_LEQ" => BranchMode.LessOrEqual,
                    "BRANCH_LT" => BranchMode.Less,
                    "BRANCH_GTE" => BranchMode.GreaterOrEqual,
                    "BRANCH_GT" => BranchMode.Greater,
                    var m => throw new NotSupportedException($"Tree node mode {m} is not supported."),
                };
                left[k] = index[(tree, trueIds[i])];
                right[k] = index[(tree, falseIds[i])];
                tracks[k] = missing.Count > i && missing[i] != 0;
                if (feature[k] < 0 || feature[k] >= featureColumns.Length)
                {
                    throw new NotSupportedException($"Tree {tree} reads feature {feature[k]}, outside the {featureColumns.Length} the graph maps to columns.");
                }
            }

            for (var t = 0; t < targets; t++)
            {
                var value = new double[n];
                for (var k = 0; k < n; k++) value[k] = values[tree][t, k];
                perTarget[t].Add(new ExplainableTree(feature, threshold, mode, left, right, tracks, value, new double[n]));
            }
        }

        for (var t = 0; t < targets; t++)
        {
            yield return new TreeEnsembleOutput(input, output, t, perTarget[t], baseValues.Count > t ? baseValues[t] : 0, featureColumns);
        }
    }

    /// <summary>For each feature of the vector a tree ensemble reads, the index of the graph input it derives from.</summary>
    private static int[] FeatureColumns(string tensor, Dictionary<string, ProtoMessage> producers, Dictionary<string, ProtoMessage> initializers, List<string> columns)
    {
        var producer = producers.GetValueOrDefault(tensor);
        switch (producer?.String(OpTypeField))
        {
            case "Cast" or "Identity" or "Scaler" or "Normalizer" when producer.Strings(InputField).Count() == 1:
                return FeatureColumns(producer.Strings(InputField).Single(), producers, initializers, columns);
            case "FeatureVectorizer":
            {
                var dims = producer.Messages(AttributeField).Single(a => a.String(AttrNameField) == "inputdimensions").Int64s(AttrIntsField);
                var map = new List<int>();
                foreach (var (name, width) in producer.Strings(InputField).Zip(dims))
                {
                    var column = SourceColumn(name, producers, columns);
                    for (var s = 0; s < width; s++) map.Add(column);
                }

                return [.. map];
            }

            case "Concat" when producer.Strings(InputField).ToList() is [var baseTensor, var sums]
                && producers.GetValueOrDefault(sums) is { } matMul && matMul.String(OpTypeField) == "MatMul":
            {
                // CategoricalSplitExport: sums = Gather(base, slots) × sets; set feature j is its slots' column.
                var baseColumns = FeatureColumns(baseTensor, producers, initializers, columns);
                var gather = producers[matMul.Strings(InputField).First()];
                var slots = Int64Tensor(initializers[gather.Strings(InputField).ElementAt(1)]);
                var sets = initializers[matMul.Strings(InputField).ElementAt(1)];
                var setCount = checked((int)sets.Int64s(DimsField)[1]);
                var matrix = FloatTensor(sets);
                var map = baseColumns.ToList();
                for (var j = 0; j < setCount; j++)
                {
                    var owners = Enumerable.Range(0, slots.Length).Where(r => matrix[(r * setCount) + j] != 0).Select(r => baseColumns[slots[r]]).Distinct().ToList();
                    map.Add(owners is [var owner] ? owner : throw new NotSupportedException($"Category set feature {j} spans {owners.Count} columns."));
                }

                return [.. map];
            }

            default:
                return columns.IndexOf(tensor) is var c and >= 0
                    ? [c]
                    : throw new NotSupportedException($"Cannot trace tree features back to the model inputs through '{producer?.String(OpTypeField) ?? tensor}'.");
        }
    }

    /// <summary>The graph input a FeatureVectorizer input derives from (one-hot: LabelEncoder → Cast → OneHotEncoder chains).</summary>
    private static int SourceColumn(string tensor, Dictionary<string, ProtoMessage> producers, List<string> columns)
    {
        var seen = 0;
        while (columns.IndexOf(tensor) < 0)
        {
            var producer = producers.GetValueOrDefault(tensor) ?? throw new NotSupportedException($"Tensor '{tensor}' has no producer and is no model input.");
            var inputs = producer.Strings(InputField).ToList();
            if (inputs.Count != 1 || ++seen > 64)
            {
                throw new NotSupportedException($"Cannot trace '{tensor}' through {producer.String(OpTypeField)} to one model input.");
            }

            tensor = inputs[0];
        }

        return columns.IndexOf(tensor);
    }

    private static float? Scalar(Dictionary<string, ProtoMessage> initializers, string name) =>
        initializers.TryGetValue(name, out var t) && FloatTensor(t) is [var v] ? v : null;

    private static float[] FloatTensor(ProtoMessage t) =>
        t.Fields.FirstOrDefault(f => f.Number == RawDataField)?.Bytes is { } raw ? MemoryMarshal.Cast<byte, float>(raw).ToArray() : [.. t.Floats(FloatDataField)];

    private static long[] Int64Tensor(ProtoMessage t) =>
        t.Fields.FirstOrDefault(f => f.Number == RawDataField)?.Bytes is { } raw ? MemoryMarshal.Cast<byte, long>(raw).ToArray() : [.. t.Int64s(Int64DataField)];
}

/// <summary>One raw margin of a model: the trees that add up to it, what they read, and which column each feature is.</summary>
/// <param name="Input">The tensor (feature vector) the ensemble reads.</param>
/// <param name="Output">The tensor it writes (the raw margin, per target).</param>
/// <param name="Target">The target index within <paramref name="Output"/>.</param>
/// <param name="Trees">Its trees (covers filled in by <see cref="TreeCovers"/>).</param>
/// <param name="BaseValue">The constant the node adds.</param>
/// <param name="FeatureColumns">Feature index → model input (column) index.</param>
public sealed record TreeEnsembleOutput(string Input, string Output, int Target, IReadOnlyList<ExplainableTree> Trees, double BaseValue, int[] FeatureColumns);
