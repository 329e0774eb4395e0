namespace Serverless.Core.Explanations;

/// <summary>How a branch node compares its feature with its threshold; the condition holding sends a row to the "true" child.</summary>
public enum BranchMode
{
    LessOrEqual,
    Less,
    GreaterOrEqual,
    Greater,
}

/// <summary>
/// One regression tree in the form TreeSHAP walks: flat node arrays (node 0 is the root), a cover per node (the weight
/// of training rows that reach it, so a branch's cover is the sum of its children's) and one output value per leaf.
/// Comparisons are in single precision, as ONNX Runtime and XGBoost make them; values and covers are double.
/// </summary>
public sealed class ExplainableTree
{
    public ExplainableTree(int[] feature, float[] threshold, BranchMode[] mode, int[] trueChild, int[] falseChild, bool[] missingTracksTrue, double[] value, double[] cover)
    {
        var n = feature.Length;
        if (threshold.Length != n || mode.Length != n || trueChild.Length != n || falseChild.Length != n || missingTracksTrue.Length != n || value.Length != n || cover.Length != n)
        {
            throw new ArgumentException("Tree node arrays differ in length.");
        }

        (Feature, Threshold, Mode, TrueChild, FalseChild, MissingTracksTrue, Value, Cover) = (feature, threshold, mode, trueChild, falseChild, missingTracksTrue, value, cover);
        MaxDepth = Depth(0);
    }

    /// <summary>Feature index a branch tests; -1 on leaves.</summary>
    public int[] Feature { get; }

    public float[] Threshold { get; }

    public BranchMode[] Mode { get; }

    /// <summary>Child taken when the condition holds; -1 on leaves.</summary>
    public int[] TrueChild { get; }

    public int[] FalseChild { get; }

    /// <summary>Whether a missing (NaN) value takes the "true" child.</summary>
    public bool[] MissingTracksTrue { get; }

    /// <summary>Leaf outputs (0 on branches).</summary>
    public double[] Value { get; }

    public double[] Cover { get; }

    public int MaxDepth { get; }

    public int NodeCount => Feature.Length;

    public bool IsLeaf(int node) => TrueChild[node] < 0;

    /// <summary>The child a row with this feature vector goes to from a branch node.</summary>
    public int Next(int node, ReadOnlySpan<float> x)
    {
        var v = x[Feature[node]];
        if (float.IsNaN(v))
        {
            return MissingTracksTrue[node] ? TrueChild[node] : FalseChild[node];
        }

        var t = Threshold[node];
        var holds = Mode[node] switch
        {
            BranchMode.LessOrEqual => v <= t,
            BranchMode.Less => v < t,
            BranchMode.GreaterOrEqual => v >= t,
            _ => v > t,
        };
        return holds ? TrueChild[node] : FalseChild[node];
    }

    /// <summary>The leaf a row reaches.</summary>
    public int Leaf(ReadOnlySpan<float> x)
    {
        var node = 0;
        while (!IsLeaf(node)) node = Next(node, x);
        return node;
    }

    /// <summary>The tree's output over the training distribution: leaf values weighted by cover.</summary>
    public double ExpectedValue()
    {
        double sum = 0;
        for (var i = 0; i < NodeCount; i++)
        {
            if (IsLeaf(i)) sum += Value[i] * Cover[i];
        }

        return Cover[0] > 0 ? sum / Cover[0] : 0;
    }

    /// <summary>This tree with other covers (same structure and values).</summary>
    public ExplainableTree WithCover(double[] cover) => new(Feature, Threshold, Mode, TrueChild, FalseChild, MissingTracksTrue, Value, cover);

    private int Depth(int node) => IsLeaf(node) ? 0 : 1 + Math.Max(Depth(TrueChild[node]), Depth(FalseChild[node]));
}
